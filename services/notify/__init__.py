"""Notify: parents' notifications (diary feed, e-mail), internal mail, integrators' webhooks."""
