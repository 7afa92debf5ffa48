"""Every query of the notify service, by area; each is scoped by `school_id`."""
