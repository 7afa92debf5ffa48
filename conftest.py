"""Root conftest: the kit's plugin (real infrastructure fixtures) is loaded by pytest addopts."""
