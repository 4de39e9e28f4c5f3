"""Instagram's resumable upload: a video's bytes sent to Meta, for offices without a public URL.

Instagram Platform "Upload Video to Meta Servers" (cited in docs/platforms.md): a container
made with ``upload_type=resumable`` answers an ``id`` and a ``uri`` on the upload host
(``rupload.facebook.com/ig-api-upload/{version}/{container}``); the bytes go there in a POST
with the headers ``Authorization: OAuth {token}``, ``offset`` and ``file_size``. Once all of
them arrived the container is processed like any other and ``media_publish`` makes it public.

Nothing is public until ``media_publish``, so this upload is safe to repeat. An upload cut
half way is resumed where the platform says it got to (a GET on the same address), never
restarted while the platform keeps what arrived; each try waits for its answer as long as what
is left may take on the slowest link (``network.upload_seconds``).

The token goes only to the configured upload host (``JADWAL_RUPLOAD_URL``, default
``https://rupload.facebook.com``): the address is built from it, never taken from an answer.

The upload host is a second host, which can be unreachable while the Graph API answers: an
upload that cannot reach it (a refused connection, or a host that answers neither the upload
nor the question of how far it got) is ``Offline`` with the upload host's own ``Endpoint``
(``upload_endpoint``), so that the engine records that host offline and checks it, and the
reels that need it wait for it, untried, while the posts that need only the Graph API go on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from scheduler.adapters.network import Endpoint, unreached, upload_seconds
from scheduler.errors import Offline, Rejected, Transient
from scheduler.i18n import N_, _
from scheduler.secrets import scrub

DEFAULT_RUPLOAD_URL = "https://rupload.facebook.com"
CONNECT_TIMEOUT = 15.0
ANSWER_TIMEOUT = 60.0  # once the bytes are in, Meta's answer: as for any Graph call
RESUMES = 3  # cuts survived within one try; the engine's retries come on top
UPLOAD_HOST = N_("the Instagram upload host")  # as the log lines name it, with its address
NO_ANSWER = "no answer"  # as ``network.probe`` says it: the host took the connection, said nothing


def rupload_url() -> str:
    return (os.environ.get("JADWAL_RUPLOAD_URL") or DEFAULT_RUPLOAD_URL).rstrip("/")


def upload_endpoint() -> Endpoint:
    """Instagram's upload host, as the engine records and checks it (``connection``)."""
    return Endpoint(UPLOAD_HOST, f"{rupload_url()}/")


class Resumable:
    """Sends one local file to an upload address, resuming after a cut.

    What differs between Meta's two upload protocols (Instagram's ``rupload`` host and the
    Graph API's ``upload:`` sessions) is said by the subclass: the header that carries the
    offset, the answer that means "all of it arrived", and how the offset is read back."""

    offset_header = "offset"
    # The host the bytes go to, when it is not the one the adapter already talks to: an
    # ``Offline`` names it, so that it is the one recorded offline and checked.
    endpoint: Endpoint | None = None

    def __init__(self, token: str, base_url: str, session: Any = None) -> None:
        self._token = token
        self.base_url = base_url
        self.session = session or requests.Session()

    def upload(self, address: str, path: Path) -> dict[str, Any]:
        """All of ``path`` at ``address``, and the platform's answer; ``Transient`` (or
        ``Offline``) when it did not get there, ``Rejected`` when the file cannot be read."""
        size = _size(path)
        offset = 0
        for _attempt in range(RESUMES + 1):
            try:
                return self._post(address, path, offset, size)
            except requests.RequestException as exc:
                reason = unreached(exc)
                if reason is not None:
                    raise self._offline(reason) from None
            offset = self._offset(address, size)
        said = _("the video upload to {host} was cut {count} times")
        raise Transient(said.format(host=self._host, count=RESUMES + 1))

    def done(self, body: dict[str, Any]) -> bool:
        return bool(body.get("success"))

    def extra_headers(self, size: int) -> dict[str, str]:
        return {"file_size": str(size)}

    @property
    def _host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url

    def _offline(self, reason: str) -> Offline:
        return Offline(f"{self._host}: {reason}", reason, self.endpoint)

    def _headers(self, **more: str) -> dict[str, str]:
        return {"Authorization": f"OAuth {self._token}", **more}

    def _post(self, address: str, path: Path, offset: int, size: int) -> dict[str, Any]:
        headers = self._headers(**{self.offset_header: str(offset)}, **self.extra_headers(size))
        headers["Content-Type"] = "application/octet-stream"
        timeout = (CONNECT_TIMEOUT, ANSWER_TIMEOUT + upload_seconds(size - offset))
        with path.open("rb") as handle:
            handle.seek(offset)
            answer = self.session.post(address, data=handle, headers=headers, timeout=timeout)
        body = _json(answer)
        if answer.ok and self.done(body):
            return body
        raise Transient(self._said(answer.status_code, body))

    def _offset(self, address: str, size: int) -> int:
        """Where the platform's copy ends; 0 (send it all again) when it cannot say."""
        try:
            answer = self.session.get(
                address, headers=self._headers(), timeout=(CONNECT_TIMEOUT, ANSWER_TIMEOUT)
            )
        except requests.Timeout as exc:
            # The upload got no answer and neither does this small question: the host takes
            # connections and says nothing (a black hole). It is not reachable now; nothing
            # is public before ``media_publish``, so waiting for it costs nothing.
            raise self._offline(unreached(exc) or NO_ANSWER) from None
        except requests.RequestException as exc:
            reason = unreached(exc)
            if reason is not None:
                raise self._offline(reason) from None
            return 0
        try:
            offset = int(_json(answer).get(self.offset_header) or 0)
        except (TypeError, ValueError):
            return 0
        return offset if 0 <= offset <= size else 0

    def _said(self, status: int, body: dict[str, Any]) -> str:
        error = body.get("error") or body.get("debug_info") or {}
        message = error.get("message") if isinstance(error, dict) else None
        said = _("the video upload was refused ({status}): {message}")
        text = said.format(status=status, message=message or _("no reason given"))
        return scrub(text, [self._token])


class ResumableUpload(Resumable):
    """Instagram's: the bytes of a resumable container, to the configured upload host."""

    def __init__(
        self, token: str, version: str, base_url: str | None = None, session: Any = None
    ) -> None:
        super().__init__(token, base_url or rupload_url(), session)
        self.version = version if version.startswith("v") else f"v{version}"
        self.endpoint = Endpoint(UPLOAD_HOST, f"{self.base_url}/")

    def address(self, container: str) -> str:
        return f"{self.base_url}/ig-api-upload/{self.version}/{container}"

    def send(self, container: str, path: Path) -> None:
        self.upload(self.address(container), path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        said = _("cannot read media file {path}: {why}")
        raise Rejected(said.format(path=path, why=exc.strerror)) from exc


def _json(answer: requests.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
