"""What can go wrong when publishing, in jadwal's words rather than each library's.

Adapters translate their library's exceptions into these at the boundary (keeping the
original as ``__cause__``); the engine decides what happens next from the class alone::

    PublishError
    ├── Transient        try again soon (network hiccup, 5xx, codes 1 and 2)
    │   └── Throttled    try again after ``retry_after`` (rate limits, cooldowns)
    ├── QuotaExhausted   the account's publishing quota is used up; wait for the window
    ├── AuthError        a person must log in again or issue a new token; the account pauses
    ├── Rejected         permanent: the content or the request must be fixed
    └── OutcomeUnknown   the platform may have published it: never re-send blindly
"""

from __future__ import annotations

from datetime import datetime, timedelta


class PublishError(Exception):
    """A publication attempt did not succeed; ``code``/``subcode`` are the platform's."""

    def __init__(self, message: str, code: int | None = None, subcode: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode

    @property
    def code_text(self) -> str | None:
        if self.code is None:
            return None
        return f"{self.code}/{self.subcode}" if self.subcode else str(self.code)

    def describe(self) -> str:
        """``Rejected: (#36003/2207009) aspect ratio not supported`` for history and logs."""
        code = f"(#{self.code_text}) " if self.code_text else ""
        return f"{type(self).__name__}: {code}{self.message}"


class Transient(PublishError):
    pass


class Throttled(Transient):
    def __init__(
        self,
        message: str,
        retry_after: timedelta,
        code: int | None = None,
        subcode: int | None = None,
    ) -> None:
        super().__init__(message, code, subcode)
        self.retry_after = retry_after


class QuotaExhausted(PublishError):
    """The publishing quota is used up: try again at ``resets_at`` when the platform says,
    else after ``retry_after`` (Instagram's window is a rolling 24 hours)."""

    def __init__(
        self,
        message: str,
        resets_at: datetime | None = None,
        code: int | None = None,
        subcode: int | None = None,
        retry_after: timedelta = timedelta(hours=1),
    ) -> None:
        super().__init__(message, code, subcode)
        self.resets_at = resets_at
        self.retry_after = retry_after

    def when(self, now: datetime) -> datetime:
        return self.resets_at or now + self.retry_after


class AuthError(PublishError):
    pass


class Rejected(PublishError):
    pass


class OutcomeUnknown(PublishError):
    pass
