"""chainrule's web layer: FastAPI routes, templates and the CLI over the engine."""
