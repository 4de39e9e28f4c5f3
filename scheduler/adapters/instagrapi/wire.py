"""The watcher on an instagrapi client's private requests session: every request gets a
timeout that grows with what it uploads, and the publishing step (configure) is confirmed
with the engine before it goes out and recorded once it did, so a failure can be told apart:
before configure nothing can be public.

It also sends configure at most once per publication. instagrapi's ``private_request``
re-sends a request itself after a cut answer (``ChunkedEncodingError``, 2 s later) or an
HTTP 408 (60 s later), configure included; either way the first may have published the post,
so the second is refused (``ResendRefused``) and the outcome is unknown. The one repeat let
through is the one Instagram asks for: an answer saying nothing was published
(``"status": "fail"``, as in HTTP 202 "Transcode not finished yet" while a video is still
being processed, after which instagrapi configures again)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from scheduler.adapters.base import Progress
from scheduler.adapters.network import upload_seconds
from scheduler.errors import ResendRefused
from scheduler.i18n import _

HTTP_TIMEOUT = (15.0, 120.0)  # connect, read: instagrapi sends private requests without one
# curl, the default transport, takes the timeout as a limit on the whole transfer: a fixed
# one would cut every large video on a slow link, so the limit grows with what there is to
# send, at the slowest link jadwal plans for (``network.upload_seconds``).
REQUEST_TIMEOUT = 408


def timeout_for(body: object) -> tuple[float, float]:
    """(connect, total) seconds for a request carrying ``body``."""
    size = len(body) if isinstance(body, bytes | bytearray | str) else 0
    connect, answer = HTTP_TIMEOUT
    return connect, answer + upload_seconds(size)


def is_configure(request: Any) -> bool:
    return "/media/configure" in urlsplit(str(request.url)).path


def declined(response: Any) -> bool:
    """Whether a whole answer to configure says nothing was published."""
    status = int(response.status_code)
    if status == REQUEST_TIMEOUT or status >= 500:
        return False  # a proxy's or server's word: the request may have been carried out
    try:
        said = json.loads(response.content)
    except (ValueError, TypeError):
        return False
    return isinstance(said, dict) and said.get("status") == "fail"


class Wire:
    """Watches the client's private requests session: every request gets a timeout, the
    publishing step (configure) is confirmed with the engine before it goes out, and
    ``configure_sent`` records that it did."""

    def __init__(self, session: Any) -> None:
        self.configure_sent = False
        self.confirm: Callable[[], None] = Progress().confirm
        self._open: str | None = None  # what became of a configure that may have published
        self._send = session.send
        session.send = self.send

    def send(self, request: Any, **kwargs: Any) -> Any:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = timeout_for(request.body)  # village internet: never hang
        if not is_configure(request):
            return self._send(request, **kwargs)
        if self._open is not None:
            raise ResendRefused(self._open)  # instagrapi lets it through: nothing is sent
        self.confirm()  # raises ClaimLost: instagrapi lets it through, nothing is sent
        self.configure_sent = True
        self._open = _("no answer came")
        try:
            response = self._send(request, **kwargs)
        except Exception as exc:
            self._open = _("its answer was lost: {error}").format(error=type(exc).__name__)
            raise
        self._open = (
            None
            if declined(response)
            else _("Instagram answered HTTP {status}").format(status=response.status_code)
        )
        return response

    def watch(self, confirm: Callable[[], None]) -> None:
        """Start one publication: nothing sent yet, and ``confirm`` before configure."""
        self.configure_sent = False
        self._open = None
        self.confirm = confirm
