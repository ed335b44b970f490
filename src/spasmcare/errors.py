"""Errors SpasmCare raises, each with a message a person can act on.

    SpasmCareError                 base; carries an exit code (CLI) and HTTP status (API)
    ├── InvalidFindingError        a finding the caller gave is not acceptable (exit 2, HTTP 422)
    │   ├── UnknownFindingError    the code is not in the vocabulary
    │   ├── FindingTypeError       wrong kind of value (text for a yes/no question ...)
    │   ├── FindingRangeError      a number outside its allowed range
    │   └── FindingChoiceError     a value that is not one of the allowed choices
    ├── DatasetError               a benchmark file (vignettes, questions) is malformed (exit 2)
    ├── DiaryInputError            a diary entry is not acceptable (HTTP 422)
    ├── DiaryImportError           rows of an imported file are not acceptable: nothing imported
    ├── InvalidTextError           text that no database can store (a NUL, a broken character)
    ├── AccountError               sign-up, login or password problem (HTTP 400/401/409)
    │   └── TooManyAttemptsError   too many failed logins: wait (HTTP 429)
    ├── NotFoundError              no such record for this person (HTTP 404)
    ├── StorageUnavailableError    the database cannot be reached (HTTP 503)
    └── KnowledgeBaseError         the knowledge files are inconsistent (exit 3, HTTP 500)

The shells translate these in one place each: the CLI prints ``message`` and exits with
``exit_code``; the web API answers ``http_status`` with ``field`` and ``message``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from spasmcare.words import counted


class SpasmCareError(Exception):
    """Base class for every error SpasmCare raises on purpose."""

    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidFindingError(SpasmCareError):
    """A finding given to the engine is not acceptable."""

    exit_code = 2
    http_status = 422

    def __init__(self, code: str, message: str, allowed: str) -> None:
        super().__init__(f"{code}: {message} (allowed: {allowed})")
        self.code = code
        self.allowed = allowed


class UnknownFindingError(InvalidFindingError):
    def __init__(self, code: str, suggestions: Sequence[str] = ()) -> None:
        hint = ", ".join(suggestions) if suggestions else "see `spasmcare kb findings`"
        super().__init__(
            code, "not a known finding code", f"a code from the vocabulary; close: {hint}"
        )


class FindingTypeError(InvalidFindingError):
    pass


class FindingRangeError(InvalidFindingError):
    pass


class FindingChoiceError(InvalidFindingError):
    pass


class DatasetError(SpasmCareError):
    """A benchmark file does not follow shared/spec/evaluation.md."""

    exit_code = 2
    http_status = 422

    def __init__(self, path: str, message: str, item: str | None = None) -> None:
        where = f"{path} [{item}]" if item else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.item = item


class DiaryInputError(SpasmCareError):
    """A diary entry (or a row of an imported file) that cannot be stored as given."""

    exit_code = 2
    http_status = 422

    def __init__(
        self,
        field: str,
        message: str,
        line: int | None = None,
        more: Sequence[tuple[str, str]] = (),
    ) -> None:
        """``field`` and ``message`` name the first problem; ``more`` any others found in
        the same entry, so a form can mark every wrong field at once."""
        where = f"line {line}: " if line is not None else ""
        problems = ((field, message), *more)
        super().__init__(where + "; ".join(f"{name}: {text}" for name, text in problems))
        self.field = field
        self.line = line
        self.problems = problems

    @classmethod
    def listing(cls, problems: Sequence[tuple[str, str]]) -> DiaryInputError:
        """One error for several (field, message) problems, the first naming `field`."""
        (field, message), *more = problems
        return cls(field, message, more=more)


class DiaryImportError(SpasmCareError):
    """An imported file with bad rows; it is refused whole, so nothing is half imported."""

    exit_code = 2
    http_status = 422

    def __init__(self, problems: Sequence[str]) -> None:
        shown = list(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        listed = "\n  - ".join(shown)
        super().__init__(
            f"nothing was imported; {counted(len(problems), 'problem')}:\n  - {listed}{more}"
        )
        self.problems = tuple(problems)
        self.field = "file"


class InvalidTextError(SpasmCareError):
    """Text with a NUL character or a lone surrogate: PostgreSQL cannot store it, and no
    person types it, so it is refused with the field named (on every database alike)."""

    exit_code = 2
    http_status = 422

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: contains a character that cannot be stored (NUL or broken)")
        self.field = field


class AccountError(SpasmCareError):
    """A problem with an account action; ``field`` names the form field at fault."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


class TooManyAttemptsError(AccountError):
    def __init__(self, retry_after_seconds: int) -> None:
        minutes = max(1, retry_after_seconds // 60)
        super().__init__(
            f"too many failed logins; try again in about {counted(minutes, 'minute')}",
            "password",
            429,
        )
        self.retry_after_seconds = retry_after_seconds


class NotFoundError(SpasmCareError):
    """Not found, or not yours: the two are indistinguishable on purpose."""

    exit_code = 2
    http_status = 404

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")


class StorageUnavailableError(SpasmCareError):
    exit_code = 4
    http_status = 503


class KnowledgeBaseError(SpasmCareError):
    """The knowledge files fail their schema or a cross-reference check."""

    exit_code = 3

    def __init__(self, problems: Sequence[str]) -> None:
        listed = "\n  - ".join(problems)
        super().__init__(
            f"the knowledge base has {counted(len(problems), 'problem')}:\n  - {listed}"
        )
        self.problems = tuple(problems)
