"""The journal's pure rules (R-…): functions of values, no I/O.

Each module holds one rule of the regulation (or a few that belong together) and imports
only the standard library, `contracts`, `kit.errors` and other rules modules. A rule that can
refuse raises `kit.errors.Conflict` (409) or `Invalid` (422) itself, with the stable code and
words a client receives; the use cases in `service/` load what a rule needs, call it, and
save. Tested in milliseconds, without a database (`services/journal/tests/rules/`).
"""
