"""Keeping an instagrapi client's secrets out of logs: what in its state is as good as a
password, and loggers that mask it before a record reaches any handler. The masking itself is
``scheduler.secrets.scrub``."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from scheduler.secrets import scrub


def client_secrets(client: Any) -> tuple[str, ...]:
    """What in a client's state is as good as a password: the session cookie, the
    Authorization header (which encodes it) and the CSRF token."""
    sessionid = client.sessionid or ""
    authorization = client.authorization or ""
    found = (
        sessionid,
        unquote(sessionid),
        authorization,
        authorization.rsplit(":", 1)[-1],
        client.cookie_dict.get("csrftoken") or "",
    )
    return tuple(value for value in found if len(value) >= 8)


class Masking(logging.LoggerAdapter[logging.Logger]):
    """instagrapi's loggers for one client. At DEBUG instagrapi logs whole response bodies:
    secrets are masked before a record reaches any handler."""

    def __init__(self, logger: logging.Logger, secrets: Callable[[], tuple[str, ...]]) -> None:
        super().__init__(logger, {})
        self.secrets = secrets

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not self.isEnabledFor(level):
            return
        try:
            text = str(msg) % args if args else str(msg)
        except (TypeError, ValueError):
            text = " ".join(str(part) for part in (msg, *args))
        failure = _exception(kwargs.pop("exc_info", None))
        if failure is not None:  # a traceback carries messages too: mask it as text
            text += "\n" + "".join(traceback.format_exception(failure)).rstrip()
        self.logger.log(level, "%s", scrub(text, self.secrets()), **kwargs)


def _exception(exc_info: object) -> BaseException | None:
    if exc_info is True:
        return sys.exception()
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1] if isinstance(exc_info[1], BaseException) else None
    return None


def mask_logs(client: Any, *extra: str) -> None:
    """Give the client masking loggers; ``extra``: secrets it doesn't hold (a password)."""

    def secrets() -> tuple[str, ...]:
        return (*extra, *client_secrets(client))

    client.logger = Masking(logging.getLogger("instagrapi"), secrets)
    client.private_request_logger = Masking(logging.getLogger("private_request"), secrets)
    client.public_request_logger = Masking(logging.getLogger("public_request"), secrets)
