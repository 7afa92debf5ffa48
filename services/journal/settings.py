"""The journal's own `EJ_…` variables (the shared ones are in `kit.settings`)."""

from __future__ import annotations

from kit.settings import ServiceSettings


class JournalSettings(ServiceSettings):
    """The journal's own knobs (none yet): the regulation's windows are rules, and a
    school's zone, homework limit and cut-off are the school's settings, not the process's."""
