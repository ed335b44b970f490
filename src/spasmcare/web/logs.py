"""Server logging with no personal data or secrets: access lines keep the method, path
and status, but an invitation link's token is masked and query strings are dropped (they
can carry dates and names)."""

from __future__ import annotations

import logging
import re
from typing import Any

_INVITATION = re.compile(r"(/invitations/)[^/?\s\"]+")


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            path = str(args[2]).split("?", 1)[0]
            args[2] = _INVITATION.sub(r"\1[token]", path)
            record.args = tuple(args)
        return True


def log_config() -> dict[str, Any]:
    """Uvicorn's logging setup with the filter on the access log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactSecrets}},
        "formatters": {
            "default": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(asctime)s %(levelname)s access: %(client_addr)s "%(request_line)s" '
                "%(status_code)s",
                "use_colors": False,
            },
        },
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "default"},
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "filters": ["redact"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "spasmcare": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }
