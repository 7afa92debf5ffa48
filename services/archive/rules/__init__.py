"""The archive's pure rules: the package format, fixity verdicts, when the schedule is due.
No I/O here: tested without anything running (`tests/rules/`)."""
