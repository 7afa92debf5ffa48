"""The platform's services. A service never imports another service (a test enforces it)."""
