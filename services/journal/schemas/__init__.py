"""Request and response bodies of the journal's HTTP API (CONTRACT.md "Journal")."""
