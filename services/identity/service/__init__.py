"""Identity's rules (R-SEC-1…5, R-YR-3, R-REC-5): callable without HTTP, never committing."""
