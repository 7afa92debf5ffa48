"""Identity's pure rules: no I/O."""
