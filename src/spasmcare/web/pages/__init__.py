"""HTML pages (Jinja2 + HTMX); the REST API lives in web.api."""
