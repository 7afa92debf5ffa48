"""The published language (`contracts/`), tested without infrastructure."""
