"""Reports: read models fed by events, summary sheets, monitoring and report jobs (issue 5)."""
