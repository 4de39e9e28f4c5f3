"""Every exception jadwal raises on purpose, in one module that all layers may import.

Outcomes a person must act on and the error classes the engine decides by live here, below
the calendar, the media rules, the adapters and the store, so that none of them imports
another just to name an error. Adapters translate their library's exceptions into these at
the boundary (keeping the original as ``__cause__``); the engine decides what happens next
from the class alone; ``scheduler.cli.boundary`` turns the rest into exit codes::

    JadwalError          a problem the user can fix (bad input, missing file): exit 1
    ├── CalendarError    the calendar can't be used; every reason is a located problem
    ├── MonthError       --month names no month (YYYY-MM)
    ├── StoreError       the database can't be used (missing, locked, read-only, full)
    ├── DatabaseUrlError --db or JADWAL_DATABASE_URL is no URL jadwal can use: exit 2
    └── LanguageError    JADWAL_LANG names no language jadwal speaks: exit 2

    PublishError         one publication attempt did not succeed
    ├── Transient        try again soon (network hiccup, 5xx, codes 1 and 2)
    │   ├── Offline      nothing reached the platform: wait for the connection, not a try
    │   └── Throttled    try again after ``retry_after`` (rate limits, cooldowns)
    ├── QuotaExhausted   the account's publishing quota is used up; wait for the window
    ├── AuthError        a person must log in again or issue a new token; the account pauses
    ├── Rejected         permanent: the content or the request must be fixed
    └── OutcomeUnknown   the platform may have published it: never re-send blindly

    ClaimLost            this publisher no longer holds the claim: nothing may be sent
    ResendRefused        a library tried to send the publishing request a second time
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.problems import Problem


class JadwalError(Exception):
    """A problem the user can fix (bad input, missing file): exit code 1, no traceback."""


class CalendarError(JadwalError):
    """The calendar cannot be used: every reason is a located problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        from scheduler.i18n import _  # below every layer, and i18n imports this module

        errors = [p for p in problems if p.is_error]
        super().__init__("\n".join(str(p) for p in errors) or _("invalid calendar"))


class MonthError(JadwalError):
    """A month the command line names is no month (``jadwal report --month 2026-13``)."""


class StoreError(JadwalError):
    """The database can't be used (missing, locked, read-only, full): publishing stops."""


class DatabaseUrlError(JadwalError):
    """The database URL given (``--db``, ``JADWAL_DATABASE_URL``) names no database jadwal can
    use: a wrong scheme, or a SQLite file in a folder that does not exist. What was typed is
    wrong, so it is a usage error (exit 2), like a bad date."""


class LanguageError(JadwalError):
    """``JADWAL_LANG`` names a language jadwal does not speak (``id``, ``en``): like a wrong
    ``JADWAL_DATABASE_URL``, what was set is wrong, so it is a usage error (exit 2)."""


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


class Offline(Transient):
    """No connection: the request never reached the platform (DNS failure, connection
    refused, no route, a TLS handshake that failed, a connect timeout). It is not a try:
    the publication waits for the connection until its grace period ends. ``reason`` is
    the network's part of the message (``could not connect (connection refused)``).
    ``endpoint`` is the host that could not be reached when it is not the adapter's own
    (Instagram's upload host, beside the Graph API): that one is recorded offline and checked,
    not the host that answers. (An ``adapters.network.Endpoint``, typed ``object`` here: the
    errors sit below the adapters.)"""

    def __init__(
        self, message: str, reason: str | None = None, endpoint: object | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.endpoint = endpoint


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


class ClaimLost(Exception):
    """This publisher no longer holds the claim (its lease ran out while the process was
    suspended or frozen, and another publisher took the post over): nothing may be sent."""


class ResendRefused(Exception):
    """A library's own retry tried to send the publishing request again after its first
    answer was lost (instagrapi re-sends after a cut answer or HTTP 408): it is not sent, and
    the adapter reports the outcome as unknown. ``first`` says what became of the first."""

    def __init__(self, first: str) -> None:
        from scheduler.i18n import _

        super().__init__(
            _("the publishing request was not sent again ({first})").format(first=first)
        )
        self.first = first
