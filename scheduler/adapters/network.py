"""Where the network ends: whether a failed request can have reached the platform, and a
cheap check of whether the platform can be reached again.

``unreached`` draws the line the engine needs between "no connection" (``Offline``: nothing
was sent, so waiting and sending again is safe and is not a try) and a lost answer (the
request went out; for the call that publishes, the outcome is unknown). It reads the
exception chains of the transports jadwal's adapters use:

- requests over urllib3 (the Graph API, instagrapi's ``requests`` transport): a name that did
  not resolve, a connection refused or without a route (``NewConnectionError``), a connect
  timeout, and a TLS handshake that failed (its frames are in the chain);
- libcurl through curl_cffi (instagrapi's default ``curl`` transport, which re-raises curl's
  error as a requests exception with curl's as the cause): curl's codes for "could not
  resolve", "could not connect", a connect timeout and a failed TLS handshake.

Everything else (a reset or a timeout after the connection was made, a cut mid-answer) may
have reached the platform and is left to the adapter's usual rules.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from scheduler.i18n import N_, _

# curl's error codes (libcurl-errors.html) that end a transfer before anything was sent.
CURL_UNREACHED = {
    5: N_("the proxy's address could not be found"),
    6: N_("the address could not be found (DNS)"),
    7: N_("could not connect"),
    35: N_("the secure connection (TLS) could not be set up"),
    60: N_("the server's certificate could not be verified"),
}
CURL_TIMEOUT = 28
CURL_CONNECT_TIMEOUTS = ("Connection timed out", "Resolving timed out", "Failed to connect")
HANDSHAKE_FRAMES = {"do_handshake", "_validate_conn", "ssl_wrap_socket", "_ssl_wrap_socket_impl"}
PROBE_TIMEOUT = (5.0, 10.0)  # connect, read: a check must not hold the sweep up for long
# The slowest link jadwal plans for, in bytes a second (a weak mobile signal): an upload may
# take its size at this rate, and an answer is waited for (and a lost one looked up) no
# sooner than that. The operating system holds megabytes of an upload in its buffers after
# the program "sent" them: a fixed timeout would give up, and a lookup look, while they are
# still on their way, and a post could then be sent twice.
SLOWEST_LINK = 20_000


def upload_seconds(size: int) -> float:
    """How long ``size`` bytes may take to reach the platform on the slowest link."""
    return size / SLOWEST_LINK


@dataclass(frozen=True)
class Endpoint:
    """What an adapter talks to: ``name`` as operators read it, ``url`` to check it by."""

    name: str
    url: str

    @property
    def key(self) -> str:
        """``graph.facebook.com:443``: the store's name for it, shared by every account."""
        parts = urlsplit(self.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{parts.hostname}:{port}"


def unreached(exc: BaseException) -> str | None:
    """Why the failed request cannot have reached the server, in plain words; None when it
    may have (see the module docstring)."""
    from urllib3 import exceptions as u3

    for error in _chain(exc):
        if isinstance(error, u3.NameResolutionError):
            return _("the address could not be found (DNS): is the internet connection up?")
        if isinstance(error, u3.NewConnectionError):  # a ConnectTimeoutError too: first
            return _("could not connect ({why})").format(why=_errno_text(error))
        if isinstance(error, u3.ConnectTimeoutError):
            return _("connecting timed out")
        if isinstance(error, ssl.SSLCertVerificationError):
            return _("the server's certificate could not be verified (a hotspot's login page?)")
        if isinstance(error, ssl.SSLError) and _in_handshake(error):
            return _(CURL_UNREACHED[35])
        curl = _curl_reason(error)
        if curl is not None:
            return curl
    return None


def probe(endpoint: Endpoint) -> str | None:
    """None when ``endpoint`` answers at all (any HTTP status will do: it is reachable); else
    why not. One small request, without credentials."""
    import requests

    try:
        requests.head(endpoint.url, timeout=PROBE_TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        return unreached(exc) or _("no answer")
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: causes, contexts, and urllib3's ``MaxRetryError.reason``."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        error = todo.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        inner = [error.__cause__, error.__context__, getattr(error, "reason", None)]
        inner += [a for a in error.args if isinstance(a, BaseException)]
        todo.extend(e for e in inner if isinstance(e, BaseException))


def _in_handshake(error: BaseException) -> bool:
    """Raised while the TLS handshake ran: before any byte of the request was written."""
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_name in HANDSHAKE_FRAMES:
            return True
        trace = trace.tb_next
    return False


def _curl_reason(error: BaseException) -> str | None:
    code = getattr(error, "code", None)
    if type(error).__module__.split(".")[0] != "curl_cffi" or not isinstance(code, int):
        return None
    if code == CURL_TIMEOUT:
        text = str(error)
        return _("connecting timed out") if any(t in text for t in CURL_CONNECT_TIMEOUTS) else None
    said = CURL_UNREACHED.get(code)
    return None if said is None else _(said)


def _errno_text(error: BaseException) -> str:
    """``connection refused``, ``no route to host``: the OS's words, lower case."""
    for inner in _chain(error):
        if isinstance(inner, OSError) and inner.strerror:
            return inner.strerror.lower()
    return _("no connection")
