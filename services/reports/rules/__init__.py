"""Reports' pure rules: functions of values, no I/O (only the standard library, `contracts`
and other rules modules). The use cases in `service/` read the facts and call them; tested
without infrastructure in `services/reports/tests/rules/`."""
