"""Every query of the archive, one module per table or aggregate it queries (scoped by school
wherever a school is given)."""
