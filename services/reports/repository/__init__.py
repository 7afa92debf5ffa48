"""Every query of the reports service."""
