"""The operators' tool and the composition roots: `ej run` (embedded), `ej gateway`, `ej …`.

This package may import every service (it assembles them); services never import it.
"""
