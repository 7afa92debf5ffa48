"""Request and response bodies of the archive's HTTP API (docs/archive.md), one module per
area: runs, packages, audits, years."""
