"""The watcher on an instagrapi client's private requests session: every request gets a
timeout that grows with what it uploads, and the publishing step (configure) is confirmed
with the engine before it goes out and recorded once it did, so a failure can be told apart:
before configure nothing can be public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from scheduler.adapters.base import Progress

HTTP_TIMEOUT = (15.0, 120.0)  # connect, read: instagrapi sends private requests without one
# The slowest upload jadwal waits for, in bytes a second (a weak mobile signal). curl, the
# default transport, takes the timeout as a limit on the whole transfer: a fixed one would
# cut every large video on a slow link, so the limit grows with what there is to send.
SLOWEST_LINK = 20_000


def timeout_for(body: object) -> tuple[float, float]:
    """(connect, total) seconds for a request carrying ``body``."""
    size = len(body) if isinstance(body, bytes | bytearray | str) else 0
    connect, answer = HTTP_TIMEOUT
    return connect, answer + size / SLOWEST_LINK


class Wire:
    """Watches the client's private requests session: every request gets a timeout, the
    publishing step (configure) is confirmed with the engine before it goes out, and
    ``configure_sent`` records that it did."""

    def __init__(self, session: Any) -> None:
        self.configure_sent = False
        self.confirm: Callable[[], None] = Progress().confirm
        self._send = session.send
        session.send = self.send

    def send(self, request: Any, **kwargs: Any) -> Any:
        if "/media/configure" in urlsplit(str(request.url)).path:
            self.confirm()  # raises ClaimLost: instagrapi lets it through, nothing is sent
            self.configure_sent = True
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = timeout_for(request.body)  # village internet: never hang
        return self._send(request, **kwargs)

    def watch(self, confirm: Callable[[], None]) -> None:
        """Start one publication: nothing sent yet, and ``confirm`` before configure."""
        self.configure_sent = False
        self.confirm = confirm
