"""Benchmarks (`make bench`): each case prints its figures beside a baseline measured in the
same run on the same machine, as a ratio. Never a timed test."""
