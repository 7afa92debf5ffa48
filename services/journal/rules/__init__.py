"""The journal's pure rules (R-…): functions of values, no I/O.

Each module holds one rule of the regulation (or a few that belong together) and imports
only the standard library, `contracts` and other rules modules. A rule that can refuse returns
a `Refusal` (the stable code and words a client receives) or None; the use cases in
`service/` load what a rule needs, call it, raise the refusal as the domain exception it names,
and save. Tested in milliseconds, without a database (`services/journal/tests/rules/`).
"""
