"""The reports service's rules (R-RPT-…), callable without HTTP."""
