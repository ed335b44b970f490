"""The web app and REST API (FastAPI + Jinja2 + HTMX), over the same services as the CLI."""
