"""Request and response bodies of the reports API (CONTRACT.md "Reports", plus additions), by resource."""
