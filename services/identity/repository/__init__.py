"""Every query of the identity service, one module per table group, scoped by `school_id`."""
