"""A fake Graph API (Facebook Page + Instagram publishing) served over real HTTP on 127.0.0.1.

Tests can never reach Meta, so the adapters talk to this instead. It follows Meta's documented
shapes (checked with the docs search; see the report that came with this file):

- every error is ``{"error": {"message", "type", "code", "error_subcode"?, "is_transient"?,
  "error_user_title"?, "error_user_msg"?, "fbtrace_id"}}`` (Graph API "Handling Errors" and
  the Instagram "Error Codes" sample), with ``Content-Type: application/json; charset=UTF-8``;
- an Instagram container is IN_PROGRESS, then FINISHED (or ERROR / EXPIRED), and PUBLISHED
  once ``media_publish`` has used it (IG Container reference); on ERROR its ``status`` names
  the subcode (``set_container_outcome``: a retryable one such as 2207001, or a permanent
  one), and ``status_reads`` counts the reads Meta asks to keep to about one a minute;
- a Page refuses the text it posted last, within ``DUPLICATE_WINDOW``, with 506;
- Meta downloads ``image_url``/``video_url`` itself ("We cURL media used in publishing
  attempts"), so the fake does too: only 127.0.0.1 URLs can work, anything else fails like an
  unreachable URL (9004 / 2207052);
- a video container made with ``upload_type=resumable`` answers its ``id`` and the ``uri`` its
  bytes go to (``/ig-api-upload/{version}/{container}``: Instagram Platform "Upload Video to
  Meta Servers"); a POST there with ``Authorization: OAuth``, ``offset`` and ``file_size``
  adds the bytes at ``offset`` (what arrived before a cut is kept), a GET answers
  ``{"offset": bytes received}`` (unconfirmed shape), and the container stays IN_PROGRESS
  until all ``file_size`` bytes are in; its errors are ``{"debug_info": {"retriable",
  "type", "message"}}``, as the upload host answers;
- a Page video may come by Meta's Resumable Upload API (``tests.fakeuploads``: upload
  sessions of an app, ``fbuploader_video_file_chunk``);
- the Instagram Login host (graph.instagram.com) is served under ``/instagram``
  (``instagram_url``): only tokens added with ``kind="instagram"`` work there, and only there;
  ``me`` is the token's account; publishing needs ``instagram_business_basic`` and
  ``instagram_business_content_publish``; ``/refresh_access_token?grant_type=
  ig_refresh_token&access_token=…`` (unversioned, token in the query, as documented) answers
  ``{"access_token", "token_type": "bearer", "expires_in"}`` for a token at least 24 hours old
  and not expired (``refreshes`` counts them); an expired token is refused with 190;
- ``content_publishing_limit`` answers ``{"data": [{"quota_usage", "config": {"quota_total",
  "quota_duration"}}]}``.

Where the docs leave a detail open the code says "unconfirmed". Work is always done before the
answer is delayed by ``latency``: a client that times out leaves the post behind, as with Meta.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import itertools
import json
import re
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.client import HTTPConnection, HTTPException
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import pytest
from PIL import Image, UnidentifiedImageError

from tests.fakeinsights import FakeInsights, Seeding
from tests.fakeuploads import UploadError, UploadSessions

JSON_TYPE = "application/json; charset=UTF-8"
IG_LOGIN_SCOPES = ("instagram_business_basic", "instagram_business_content_publish")
DEFAULT_SCOPES = (
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_show_list",
    "instagram_basic",
    "instagram_content_publish",
)
OUTCOMES = ("FINISHED", "ERROR", "EXPIRED", "IN_PROGRESS")
MAX_IMAGE_BYTES = 8 * 1024 * 1024  # IG error sample: "It should be less than 8 MiB."
MIN_RATIO, MAX_RATIO = 4 / 5, 1.91  # IG feed images: 4:5 to 1.91:1
QUOTA_DURATION = 86400
DUPLICATE_WINDOW = 600.0  # unconfirmed: Meta only says consecutive duplicates are refused
FETCH_TIMEOUT = 5.0
STATUS_TEXT = {
    "IN_PROGRESS": "In Progress: Media is still being processed.",
    "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
    "PUBLISHED": "Published: Media has been successfully published.",
    "EXPIRED": "Expired: Media was not published within 24 hours.",
    # The docs: on ERROR, ``status`` carries the error subcode (2207001: server error).
    "ERROR": "Error: Media upload has failed with error code {subcode}",
}
HTML_PAGE = (
    "<html><head><title>{code} {phrase}</title></head><body><center><h1>{code} {phrase}</h1>"
    "</center><hr><center>nginx</center></body></html>"
)


# -- errors -----------------------------------------------------------------------------------


class GraphError(Exception):
    """One Graph API error answer: raised inside the fake, sent as Meta's JSON."""

    def __init__(
        self,
        code: int,
        message: str,
        subcode: int | None = None,
        *,
        error_type: str = "OAuthException",
        status: int = 400,
        is_transient: bool | None = None,
        user_title: str | None = None,
        user_msg: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.subcode = code, message, subcode
        self.error_type, self.status, self.is_transient = error_type, status, is_transient
        self.user_title, self.user_msg = user_title, user_msg

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.error_type}
        error["code"] = self.code
        optional = {
            "error_subcode": self.subcode,
            "is_transient": self.is_transient,
            "error_user_title": self.user_title,
            "error_user_msg": self.user_msg,
        }
        error.update({key: value for key, value in optional.items() if value is not None})
        error["fbtrace_id"] = _trace_id()
        return {"error": error}


def _trace_id() -> str:
    return secrets.token_urlsafe(17)[:23]


def _no_object(node_id: str, method: str) -> GraphError:
    # Meta answers the same for "does not exist" and "not yours": nothing leaks either way.
    return GraphError(
        100,
        f"Unsupported {method.lower()} request. Object with ID '{node_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation. "
        "Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        33,
        error_type="GraphMethodException",
    )


def _ig_error(code: int, subcode: int, message: str, title: str, user_msg: str) -> GraphError:
    # Shaped like the documented IG sample: is_transient false plus the user-facing texts.
    return GraphError(
        code, message, subcode, is_transient=False, user_title=title, user_msg=user_msg
    )


def _download_failed(url: str) -> GraphError:
    return _ig_error(
        9004,
        2207052,
        "Only photo or video can be accepted as media type.",
        "Media download has failed.",
        f"The media could not be fetched from this uri: {url}",
    )


def _download_slow() -> GraphError:
    text = "It takes too long to download the media."
    return _ig_error(-2, 2207003, text, "Media download timed out", text)


def _not_ready() -> GraphError:
    return _ig_error(
        9007,
        2207027,
        "Media ID is not available",
        "Media not ready for publishing",
        "The media is not ready for publishing, please wait for a moment.",
    )


def _builder_gone(creation_id: str) -> GraphError:
    # Unconfirmed for an already-published container: its builder is used up, so the same
    # error as an unknown one (code 24 / 2207008). Never a second post.
    return _ig_error(
        24,
        2207008,
        "Media builder not found",
        "Media builder not found",
        f"The media builder with creation id = {creation_id} does not exist or has been expired.",
    )


def _quota_reached() -> GraphError:
    return _ig_error(
        9,
        2207042,
        "The account has reached its daily publishing limit.",
        "Publishing limit reached",
        "You reached maximum number of posts that is allowed to be published by Content "
        "Publishing API.",
    )


def _missing(name: str) -> GraphError:
    return GraphError(100, f"(#100) The parameter {name} is required")


# -- small value types ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grant:
    pages: tuple[str, ...]
    ig_users: tuple[str, ...]
    scopes: tuple[str, ...]
    valid: bool
    kind: str = "user"  # "page" for a Page access token, "user" for a (system) user token


@dataclass(frozen=True)
class _Upload:
    filename: str
    content_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.data).hexdigest()

    def summary(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.data),
            "sha256": self.digest.removeprefix("sha256:"),
        }


@dataclass
class _Call:
    method: str
    path: str
    parts: list[str]
    params: dict[str, str]
    files: dict[str, _Upload]
    token: str | None
    auth: str | None
    host: str = "facebook"  # or "instagram": graph.instagram.com, under /instagram
    grant: _Grant = field(default_factory=lambda: _Grant((), (), (), False))


@dataclass
class _Photo:
    id: str
    page: str
    width: int
    height: int
    caption: str
    sent: str  # what the client gave: "sha256:…" for bytes, else the URL
    created_time: str


@dataclass
class _Container:
    id: str
    owner: str
    kind: str  # image, carousel, reel, story
    media: list[str]
    caption: str
    media_type: str  # what the published media will say: IMAGE, VIDEO or CAROUSEL_ALBUM
    created: float
    outcome: str
    carousel_item: bool = False
    children: list[str] = field(default_factory=list)
    published_id: str | None = None
    error_subcode: int = 2207001
    resumable: bool = False  # its video comes by resumable upload, into ``received``
    received: bytearray = field(default_factory=bytearray)
    file_size: int | None = None
    uploaded: bool = False
    # One upload at a time: a resume waits until the cut one has stored what it got.
    receiving: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class _Fault:
    kind: str  # error, html, drop, slow
    remaining: int
    path_contains: str | None
    error: GraphError | None = None
    status: int = 502
    delay: float = 0.0


# -- HTTP plumbing ----------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as Meta: clients reuse pooled connections
    # Headers and body go out in two writes: with Nagle's algorithm every answer would also
    # wait ~40 ms for the client's delayed ACK. Off, a call takes ~2 ms.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.server.fake._handle(self)

    do_POST = do_GET
    do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the fake's own record (FakeGraph.requests) is the log


class _Server(ThreadingHTTPServer):
    # Handler threads are joined by server_close(), so none outlives stop().
    daemon_threads = False
    block_on_close = True

    def __init__(self, fake: FakeGraph) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads idling on keep-alive connections so they can be joined."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # a client went away mid-request (its timeout): not the fake's fault
        self.fake.server_errors.append(traceback.format_exc())


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, _Upload]]:
    # Parsed by hand: byte-exact for binary parts, where the email package is not.
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not found:
        raise GraphError(100, "(#100) Malformed multipart body: no boundary")
    params: dict[str, str] = {}
    files: dict[str, _Upload] = {}
    for chunk in body.split(b"--" + found.group(1).encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'(?<!file)name="([^"]*)"', headers)
        filename = re.search(r'filename="([^"]*)"', headers)
        kind = re.search(r"content-type:\s*([^\r\n;]+)", headers, re.IGNORECASE)
        if name is None:
            continue
        if filename is None:
            params[name.group(1)] = data.decode("utf-8")
        else:
            ctype = kind.group(1).strip() if kind else "application/octet-stream"
            files[name.group(1)] = _Upload(filename.group(1), ctype, data)
    return params, files


def _json_params(body: bytes) -> dict[str, str]:
    try:
        loaded = json.loads(body)
    except ValueError as exc:
        raise GraphError(100, "(#100) The request body is not valid JSON") from exc
    if not isinstance(loaded, dict):
        raise GraphError(100, "(#100) The request body must be a JSON object")
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in loaded.items()}


def _token_from(header: str | None, params: dict[str, str]) -> tuple[str | None, str | None]:
    param = params.pop("access_token", None)
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() in ("bearer", "oauth") and value.strip():
            return value.strip(), "header"
    return (param, "param") if param else (None, None)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("false", "0", "no")


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(str(index).encode()).decode().rstrip("=")


def _uncursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return max(0, int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))))
    except ValueError as exc:
        raise GraphError(100, "(#100) Invalid cursor") from exc


def _select(
    node_type: str, node: dict[str, Any], requested: str | None, default: Sequence[str]
) -> dict[str, Any]:
    """Meta's ``fields=`` projection; an unknown field is an error, as with Meta."""
    names = default if requested is None else [n.strip() for n in requested.split(",")]
    out: dict[str, Any] = {}
    for raw in filter(None, names):
        name = re.split(r"[{.]", raw, maxsplit=1)[0]
        if name not in node:
            raise GraphError(
                100, f"(#100) Tried accessing nonexisting field ({name}) on node type ({node_type})"
            )
        if node[name] is not None:
            out[name] = node[name]
    out["id"] = node["id"]
    return out


def _image_info(data: bytes) -> tuple[str | None, int, int]:
    """(format, width, height) of image bytes; format None when they are not an image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format, image.width, image.height
    except (UnidentifiedImageError, OSError, ValueError):
        return None, 0, 0


def _as_jpeg(data: bytes) -> tuple[bytes, int, int]:
    """Facebook re-encodes uploaded photos: its CDN always serves JPEG."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG":
                return data, image.width, image.height
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=90)
            return out.getvalue(), image.width, image.height
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise GraphError(324, "(#324) Missing or invalid image file") from exc


def _check_ig_image(data: bytes, *, feed: bool) -> None:
    if len(data) > MAX_IMAGE_BYTES:
        raise _ig_error(
            36000,
            2207004,
            "The image size is too large.",
            "Image size too large",
            "The image is too large to download. It should be less than 8 MiB.",
        )
    fmt, width, height = _image_info(data)
    if fmt != "JPEG":
        text = "The image format is not supported."  # unconfirmed pair: 36001 / 2207005
        raise _ig_error(36001, 2207005, text, "Unsupported image format", text)
    if feed and not MIN_RATIO - 1e-9 <= width / height <= MAX_RATIO + 1e-9:
        raise _ig_error(
            36003,
            2207009,
            "The aspect ratio is not supported.",
            "Aspect ratio not supported",
            f"The submitted image with aspect ratio ('{width}/{height}') cannot be published. "
            "Please submit an image with a valid aspect ratio.",
        )


# -- the fake ---------------------------------------------------------------------------------


class FakeGraph(UploadSessions, FakeInsights, Seeding):
    """The Graph API, in memory, on a random port of 127.0.0.1. Thread-safe.

    ``posts`` is every post that went public, in order; ``requests`` every Graph request
    received (``/static`` files excluded: see ``static_requests``), never with a token in it.
    """

    def __init__(
        self, version: str = "v25.0", container_delay: float = 0.2, quota_total: int = 100
    ) -> None:
        self.version = version
        self.container_delay = container_delay
        self.quota_total = quota_total
        self.latency = 0.0
        # The platform's clock, for created_time/timestamp; tests may set it to their own.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.url = ""
        self.posts: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.static_requests: list[str] = []
        self.server_errors: list[str] = []
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._grants: dict[str, _Grant] = {}
        self._apps: dict[str, str] = {}  # app id -> app secret
        self._static: dict[str, tuple[bytes, str]] = {}
        self._photos: dict[str, _Photo] = {}
        self._videos: dict[str, str] = {}  # video id -> post id
        self._fb_posts: dict[str, dict[str, Any]] = {}
        self._ig_media: dict[str, dict[str, Any]] = {}
        self._ig_extra: dict[str, dict[str, str]] = {}
        self._posted_at: dict[str, datetime] = {}
        self._containers: dict[str, _Container] = {}
        self._quota: dict[str, int] = {}
        self._faults: list[_Fault] = []
        self._outcome = "FINISHED"
        self._error_subcode = 2207001
        self._lifetimes: dict[str, tuple[datetime, datetime]] = {}  # IG Login: issued, expires
        self.refreshes = 0
        self.init_insights()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeGraph:
        server = _Server(self)
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fakegraph"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeGraph:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls ------------------------------------------------------------------------

    def add_token(
        self,
        token: str,
        *,
        pages: Sequence[str] = (),
        ig_users: Sequence[str] = (),
        scopes: Sequence[str] = DEFAULT_SCOPES,
        valid: bool = True,
        kind: str | None = None,
    ) -> None:
        """``kind`` is "page" (a Page access token) or "user"; by default a token for a Page
        is that Page's token and any other a user's."""
        kind = kind or ("page" if pages else "user")
        with self._lock:
            self._grants[token] = _Grant(tuple(pages), tuple(ig_users), tuple(scopes), valid, kind)

    def add_instagram_token(
        self,
        token: str,
        ig_user: str,
        *,
        issued: datetime,
        days: float = 60,
        scopes: Sequence[str] = IG_LOGIN_SCOPES,
    ) -> None:
        """A long-lived Instagram User token (Instagram Login host only), valid ``days``."""
        self.add_token(token, ig_users=[ig_user], scopes=scopes, kind="instagram")
        with self._lock:
            self._lifetimes[token] = (issued, issued + timedelta(days=days))

    @property
    def instagram_url(self) -> str:
        return f"{self.url}/instagram"

    def add_app(self, app_id: str, secret: str) -> str:
        """An app whose access token (``{app_id}|{secret}``) may call ``debug_token``."""
        with self._lock:
            self._apps[app_id] = secret
        return f"{app_id}|{secret}"

    def fail_next(
        self,
        n: int = 1,
        *,
        code: int,
        subcode: int | None = None,
        message: str = "An unexpected error has occurred. Please retry your request later.",
        status: int = 400,
        is_transient: bool | None = None,
        path_contains: str | None = None,
        error_type: str = "OAuthException",
    ) -> None:
        """The next ``n`` matching requests answer this error and do nothing."""
        error = GraphError(
            code,
            message,
            subcode,
            error_type=error_type,
            status=status,
            is_transient=is_transient,
        )
        self._add_fault(_Fault("error", n, path_contains, error=error))

    def html_error_next(
        self, n: int = 1, status: int = 502, path_contains: str | None = None
    ) -> None:
        """The next ``n`` matching requests get an HTML page, as from a proxy, and do nothing."""
        self._add_fault(_Fault("html", n, path_contains, status=status))

    def drop_after_accept_next(self, path_contains: str) -> None:
        """The next matching request is carried out, then its connection closed unanswered."""
        self._add_fault(_Fault("drop", 1, path_contains))

    def slow_next(self, seconds: float, path_contains: str) -> None:
        """The next matching request is carried out, then answered ``seconds`` late: longer
        than the client's timeout, it looks like a network that stalled after sending."""
        self._add_fault(_Fault("slow", 1, path_contains, delay=seconds))

    def set_container_outcome(self, status_code: str, subcode: int = 2207001) -> None:
        """Containers created from now on end in this status instead of FINISHED; an ERROR
        container's ``status`` names ``subcode`` (2207001, "Instagram server error", unless
        told: one of the Instagram table's subcodes, retryable or not)."""
        if status_code not in OUTCOMES:
            raise ValueError(f"status_code must be one of {OUTCOMES}")
        with self._lock:
            self._outcome = status_code
            self._error_subcode = subcode

    def status_reads(self) -> list[str]:
        """The container ids whose status was read, one per read, in order: what Meta's
        advice (about once a minute, at most five minutes) is about."""
        with self._lock:
            return [
                q["path"].rsplit("/", 1)[-1]
                for q in self.requests
                if q["method"] == "GET"
                and "status_code" in str(q["params"].get("fields", ""))
                and q["path"].rsplit("/", 1)[-1] in self._containers
            ]

    def set_quota_usage(self, ig_user: str, used: int) -> None:
        with self._lock:
            self._quota[ig_user] = used

    def serve_file(self, name: str, data: bytes, content_type: str = "image/jpeg") -> str:
        """Host ``data`` at ``{url}/static/{name}`` (a "public" media URL); returns the URL."""
        with self._lock:
            self._static[name] = (data, content_type)
        return f"{self.url}/static/{quote(name)}"

    def _now_iso(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")

    def clear_faults(self) -> int:
        """Forget the faults no request has met yet; returns how many there were."""
        with self._lock:
            left = len(self._faults)
            self._faults.clear()
        return left

    def _add_fault(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    # -- one request ----------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        try:
            self._serve(handler)
        except Exception:
            # A bug in the fake: answer like Meta's "unknown error", and let the fixture fail.
            self.server_errors.append(traceback.format_exc())
            error = GraphError(1, "An unknown error has occurred.", status=500)
            self._send(handler, 500, json.dumps(error.body()).encode(), JSON_TYPE)

    def _serve(self, handler: _Handler) -> None:
        url = urlsplit(handler.path)
        if url.path.startswith("/ig-api-upload/"):
            self._rupload(handler, url.path)
            return
        if "/upload:" in url.path:
            self._upload_session(handler, url.path)
            return
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if len(body) < length:  # the client's connection broke mid-request: Meta does nothing
            handler.close_connection = True
            return
        if url.path.startswith("/static/"):
            self._serve_static(handler, unquote(url.path))
            return
        try:
            call = self._parse(handler, url.path, url.query, body)
        except GraphError as error:
            self._send(handler, error.status, json.dumps(error.body()).encode(), JSON_TYPE)
            return
        self._record(call)
        fault = self._take_fault(call.path, static=False)
        if fault is not None and fault.kind == "error" and fault.error is not None:
            status, payload = fault.error.status, fault.error.body()
        elif fault is not None and fault.kind == "html":
            status, payload = fault.status, {}
        else:
            status, payload = self._run(call)
        if self.latency > 0:
            time.sleep(self.latency)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)  # the client has probably given up: _send copes
        if fault is not None and fault.kind == "drop":
            self._drop(handler)
        elif fault is not None and fault.kind == "html":
            self._send_html(handler, status)
        else:
            self._send(handler, status, json.dumps(payload).encode(), JSON_TYPE, api=True)

    def _parse(self, handler: _Handler, path: str, query: str, body: bytes) -> _Call:
        params = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, _Upload] = {}
        ctype = handler.headers.get("Content-Type") or ""
        if body and ctype.startswith("multipart/form-data"):
            form, files = _multipart(ctype, body)
            params.update(form)
        elif body and "json" in ctype:
            params.update(_json_params(body))
        elif body:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        token, auth = _token_from(handler.headers.get("Authorization"), params)
        parts = [unquote(part) for part in path.split("/") if part]
        host = "facebook"
        if parts[:1] == ["instagram"]:
            host, parts = "instagram", parts[1:]
        return _Call(handler.command, path, parts, params, files, token, auth, host)

    def _record(self, call: _Call) -> None:
        with self._lock:
            hidden = {call.token, *self._grants} - {None}
            params: dict[str, Any] = {
                key: "[token]" if value in hidden or key == "input_token" else value
                for key, value in call.params.items()
            }
            params.update({key: upload.summary() for key, upload in call.files.items()})
            self.requests.append(
                {"method": call.method, "path": call.path, "params": params, "auth": call.auth}
            )

    def _take_fault(self, path: str, *, static: bool) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                wanted = fault.path_contains
                # The fake's own media downloads must not eat faults meant for Graph calls.
                if (wanted is None and not static) or (wanted is not None and wanted in path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _run(self, call: _Call) -> tuple[int, dict[str, Any]]:
        try:
            return 200, self._route(call)
        except GraphError as error:
            return error.status, error.body()

    def _serve_static(self, handler: _Handler, path: str) -> None:
        with self._lock:
            self.static_requests.append(path)
            found = self._static.get(path.removeprefix("/static/"))
        fault = self._take_fault(path, static=True)
        if fault is not None and fault.kind == "html":
            self._send_html(handler, fault.status)
        elif fault is not None and fault.kind == "drop":
            self._drop(handler)
        elif fault is not None and fault.error is not None:
            self._send(
                handler, fault.error.status, json.dumps(fault.error.body()).encode(), JSON_TYPE
            )
        elif found is None or handler.command != "GET":
            self._send(handler, 404, b"Not Found", "text/plain; charset=utf-8")
        else:
            self._send(handler, 200, found[0], found[1])

    def _send(
        self, handler: _Handler, status: int, body: bytes, ctype: str, *, api: bool = False
    ) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(body)))
            if api:
                handler.send_header("facebook-api-version", self.version)
                for name, value in self.usage_headers.items():
                    handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            handler.close_connection = True  # the client gave up (its timeout): nothing to do

    def _send_html(self, handler: _Handler, status: int) -> None:
        phrase = HTTPStatus(status).phrase
        page = HTML_PAGE.format(code=status, phrase=phrase).encode()
        self._send(handler, status, page, "text/html; charset=utf-8")

    @staticmethod
    def _drop(handler: _Handler) -> None:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)

    # -- routing and authentication --------------------------------------------------------------

    def _route(self, call: _Call) -> dict[str, Any]:
        if call.host == "instagram" and call.parts == ["refresh_access_token"]:
            return self._refresh(call)
        if not call.parts or call.parts[0] != self.version:
            asked = call.parts[0] if call.parts else "(none)"
            # Unconfirmed code: 2635 is Meta's "deprecated version" error.
            raise GraphError(
                2635,
                f"(#2635) Graph API version {asked} is not available; this server speaks "
                f"{self.version}. Set the API version explicitly.",
            )
        rest = call.parts[1:]
        call.grant = self._authenticate(call, debug=rest == ["debug_token"])
        if not rest and call.method == "POST" and "batch" in call.params:
            return self.run_batch(call)  # type: ignore[return-value]
        if call.host == "instagram" and rest[:1] == ["me"] and call.grant.ig_users:
            rest = [call.grant.ig_users[0], *rest[1:]]
        if rest == ["me"] and call.method == "GET":
            return self._me(call.grant)
        if rest == ["debug_token"] and call.method == "GET":
            return self._debug_token(call.params.get("input_token"))
        if rest == ["me", "permissions"] and call.method == "GET":
            return self._me_permissions(call.grant)
        if rest[:1] and self.known_app(rest[0]):
            return self._app(call, rest)
        if len(rest) == 1:
            return self._node(call, rest[0])
        if len(rest) == 2 and rest[1] == "insights" and self.is_insight_node(rest[0]):
            return self.post_insights(call, rest[0])
        if len(rest) == 2:
            return self._edge(call, rest[0], rest[1])
        raise GraphError(2500, f"Unknown path components: /{'/'.join(rest[1:])}")

    def _app(self, call: _Call, rest: list[str]) -> dict[str, Any]:
        """An app: its public name, and its upload sessions (Resumable Upload API)."""
        if rest[1:] == ["uploads"] and call.method == "POST":
            try:
                return self.start_session(rest[0], call.token, call.params)
            except UploadError as error:
                raise GraphError(error.code, error.message, status=error.status) from None
        if len(rest) == 1 and call.method == "GET":
            return _select(
                "Application",
                {"id": rest[0], "name": f"Aplikasi {rest[0]}"},
                call.params.get("fields"),
                ("id", "name"),
            )
        raise _no_object(rest[0], call.method)

    def _upload_session(self, handler: _Handler, path: str) -> None:
        """``/{version}/upload:…``: the bytes of an upload session, at ``file_offset``."""
        offset = handler.headers.get("file_offset")
        token, auth = _token_from(handler.headers.get("Authorization"), {})
        with self._lock:
            self.requests.append(
                {
                    "method": handler.command,
                    "path": path,
                    "params": {"file_offset": offset},
                    "auth": auth,
                }
            )
        name = unquote(path.rsplit("/", 1)[-1])
        try:
            if token is None or handler.headers.get("Authorization", "").split()[0] != "OAuth":
                raise UploadError(401, 190, "Invalid OAuth access token")
            session = self.session_for(name, token)
            with session.receiving:
                if handler.command == "GET":
                    answer: dict[str, Any] | None = self.offset_of(session)
                else:
                    length = int(handler.headers.get("Content-Length") or 0)
                    answer = self.receive(session, int(offset or 0), handler.rfile.read, length)
        except UploadError as error:
            body = GraphError(error.code, error.message, status=error.status).body()
            self._send(handler, error.status, json.dumps(body).encode(), JSON_TYPE)
            return
        if answer is None:
            handler.close_connection = True
        else:
            self._send(handler, 200, json.dumps(answer).encode(), JSON_TYPE, api=True)

    def _authenticate(self, call: _Call, *, debug: bool) -> _Grant:
        if call.token is None:
            raise GraphError(104, "An access token is required to request this resource.")
        with self._lock:
            grant = self._grants.get(call.token)
        if debug:
            return self._app_grant(call.token)
        if grant is None or (grant.kind == "instagram") != (call.host == "instagram"):
            raise GraphError(190, "Invalid OAuth access token - Cannot parse access token")
        self._unexpired(call.token)
        if not grant.valid:
            raise GraphError(
                190,
                "Error validating access token: The session has been invalidated because the "
                "user changed their password or Facebook has changed the session for security "
                "reasons.",
                460,
            )
        return grant

    def _unexpired(self, token: str) -> None:
        with self._lock:
            lifetime = self._lifetimes.get(token)
        if lifetime is not None and self.clock() >= lifetime[1]:
            raise GraphError(190, "Error validating access token: Session has expired.", 463)

    def _refresh(self, call: _Call) -> dict[str, Any]:
        # The token comes as a query parameter (the reference's request syntax).
        if call.params.get("grant_type") != "ig_refresh_token":
            raise GraphError(100, "(#100) grant_type must be ig_refresh_token")
        token = call.token or ""
        with self._lock:
            lifetime = self._lifetimes.get(token)
        if lifetime is None:
            raise GraphError(190, "Invalid OAuth access token - Cannot parse access token")
        self._unexpired(token)
        if self.clock() - lifetime[0] < timedelta(hours=24):
            # Unconfirmed wording and code: the reference only says "at least 24 hours old".
            raise GraphError(10, "(#10) The access token must be at least 24 hours old.")
        fresh = f"IGAAfresh{secrets.token_hex(16)}"
        with self._lock:
            grant = self._grants[token]
            self._grants[fresh] = grant
            self.refreshes += 1
        self._lifetimes[fresh] = (self.clock(), self.clock() + timedelta(days=60))
        return {"access_token": fresh, "token_type": "bearer", "expires_in": 60 * 86400}

    def _app_grant(self, token: str) -> _Grant:
        # debug_token: "An app access token or an app developer's user access token for the
        # app associated with the input_token being inspected is required" (its reference).
        # The fake knows no developers: only an app token ({app-id}|{app-secret}) works.
        app_id, _, secret = token.partition("|")
        with self._lock:
            known = bool(secret) and self._apps.get(app_id) == secret
        if not known and "|" in token:
            raise GraphError(190, "Invalid OAuth access token signature.")
        if not known:
            raise GraphError(
                100,
                "(#100) You must provide an app access token, or a user access token that is "
                "an owner or developer of the app",
            )
        return _Grant((), (), (), True, "app")

    def _me(self, grant: _Grant) -> dict[str, Any]:
        if grant.pages:
            return {"id": grant.pages[0], "name": _page_name(grant.pages[0])}
        if grant.ig_users:
            return {"id": grant.ig_users[0], "name": _username(grant.ig_users[0])}
        return {"id": "100000000000099", "name": "Fake User"}

    def _debug_token(self, token: str | None) -> dict[str, Any]:
        with self._lock:
            grant = self._grants.get(token or "")
        if grant is None:
            error = {"code": 190, "message": "Invalid OAuth access token."}
            return {"data": {"error": error, "is_valid": False, "scopes": []}}
        data: dict[str, Any] = {
            "app_id": "1000000000000001",
            "type": grant.kind.upper(),
            "application": "jadwal (fake)",
            "data_access_expires_at": 0,
            "expires_at": 0,
            "is_valid": grant.valid,
            "scopes": list(grant.scopes),
            "granular_scopes": [
                {"scope": scope, "target_ids": _targets(scope, grant)} for scope in grant.scopes
            ],
        }
        if grant.kind == "page" and grant.pages:
            data["profile_id"] = grant.pages[0]
        if not grant.valid:
            data["error"] = {
                "code": 190,
                "subcode": 460,
                "message": "The session has been invalidated because the user changed their "
                "password or Facebook has changed the session for security reasons.",
            }
        return {"data": data}

    def _known_pages(self) -> set[str]:
        return {page for grant in self._grants.values() for page in grant.pages}

    def _known_ig_users(self) -> set[str]:
        return {user for grant in self._grants.values() for user in grant.ig_users}

    def _need_page(self, call: _Call, page: str, *, write: bool) -> None:
        grant = call.grant
        readable = page in grant.pages and "pages_read_engagement" in grant.scopes
        if write and not (readable and "pages_manage_posts" in grant.scopes):
            raise GraphError(
                200,
                "(#200) If posting to a page, requires both pages_read_engagement and "
                "pages_manage_posts as an admin with sufficient administrative permission",
            )
        if not readable:
            raise GraphError(
                10,
                "(#10) This endpoint requires the 'pages_read_engagement' permission or the "
                "'Page Public Content Access' feature.",
            )

    def _need_ig(self, call: _Call, user: str, *, write: bool) -> None:
        grant = call.grant
        prefix = "instagram_business_" if grant.kind == "instagram" else "instagram_"
        allowed = user in grant.ig_users and f"{prefix}basic" in grant.scopes
        if not allowed or (write and f"{prefix}content_publish" not in grant.scopes):
            raise GraphError(10, "(#10) Application does not have permission for this action")

    def _edge(self, call: _Call, owner: str, edge: str) -> dict[str, Any]:
        with self._lock:
            pages, ig_users = self._known_pages(), self._known_ig_users()
        family = "page" if owner in pages else "ig" if owner in ig_users else None
        if family is None:
            raise _no_object(owner, call.method)
        handler = getattr(self, f"_{family}_{call.method.lower()}_{edge}", None)
        if handler is None:
            raise GraphError(2500, f"Unknown path components: /{edge}")
        result: dict[str, Any] = handler(call, owner)
        return result

    # -- reading nodes ------------------------------------------------------------------------

    def _node(self, call: _Call, node_id: str) -> dict[str, Any]:
        if call.method != "GET":
            raise _no_object(node_id, call.method)
        with self._lock:
            found = self._find(node_id)
        if found is None:
            raise _no_object(node_id, call.method)
        node_type, family, owner, node, default = found
        granted = call.grant.pages if family == "page" else call.grant.ig_users
        if owner not in granted:
            raise _no_object(node_id, call.method)
        if family == "page":
            self._need_page(call, owner, write=False)
        else:
            self._need_ig(call, owner, write=False)
        fields, extra = self.expand(call, node_id, call.params.get("fields"))
        return _select(node_type, node, fields, default) | extra

    def _find(self, node_id: str) -> tuple[str, str, str, dict[str, Any], Sequence[str]] | None:
        if node_id in self._known_pages():
            return "Page", "page", node_id, _page_node(node_id), ("id", "name")
        if node_id in self._known_ig_users():
            return "IGUser", "ig", node_id, self._ig_user_node(node_id), ("id",)
        if node_id in self._photos:
            photo = self._photos[node_id]
            return "Photo", "page", photo.page, self._photo_node(photo), ("id", "created_time")
        if node_id in self._videos:
            post = self._fb_posts[self._videos[node_id]]
            return "Video", "page", post["target"], _video_node(node_id, post), ("id",)
        if node_id in self._fb_posts:
            post = self._fb_posts[node_id]
            default = ("id", "message", "created_time")
            return "Post", "page", post["target"], _post_node(post), default
        if node_id in self._containers:
            container = self._containers[node_id]
            node = self._container_node(container)
            return "ShadowIGMediaBuilder", "ig", container.owner, node, ("id",)
        if node_id in self._ig_media:
            media = self._ig_media[node_id]
            return "IGMedia", "ig", media["target"], self._media_node(media), ("id",)
        return None

    def _photo_node(self, photo: _Photo) -> dict[str, Any]:
        source = f"{self.url}/static/photo-{photo.id}.jpg"
        return {
            "id": photo.id,
            "images": [{"height": photo.height, "source": source, "width": photo.width}],
            "width": photo.width,
            "height": photo.height,
            "name": photo.caption or None,
            "link": f"https://www.facebook.com/photo.php?fbid={photo.id}",
            "created_time": photo.created_time,
        }

    def _ig_user_node(self, user: str) -> dict[str, Any]:
        count = sum(1 for post in self.posts if post["target"] == user)
        name = _username(user)
        return {"id": user, "user_id": user, "username": name, "name": name, "media_count": count}

    def _container_node(self, container: _Container) -> dict[str, Any]:
        status = self._status(container)
        text = STATUS_TEXT[status].format(subcode=container.error_subcode)
        return {"id": container.id, "status_code": status, "status": text}

    def _media_node(self, media: dict[str, Any]) -> dict[str, Any]:
        extra = self._ig_extra[media["id"]]
        return {
            "id": media["id"],
            "caption": media["text"] or None,
            "permalink": media["permalink"],
            "timestamp": media["created_time"],
            "media_type": extra["media_type"],
            "media_product_type": extra["product"],
            "media_url": media["media"][0] if media["media"] else None,
            "shortcode": extra["shortcode"],
            "username": _username(media["target"]),
        }

    # -- Facebook Page edges ------------------------------------------------------------------

    def _page_post_feed(self, call: _Call, page: str) -> dict[str, Any]:
        self._need_page(call, page, write=True)
        message = call.params.get("message", "")
        link = call.params.get("link") or None
        photo_ids = _attached_media(call.params)
        if not (message or link or photo_ids):
            raise GraphError(100, "(#100) Missing message or attachment")
        with self._lock:
            photos = [self._attachable(page, pid, i) for i, pid in enumerate(photo_ids)]
            self._refuse_duplicate(page, message)
            post_id = f"{page}_{self._next_fb_id()}"
            kind = "fb_album" if photos else "fb_feed"
            media = [photo.sent for photo in photos]
            self._add_fb_post(post_id, kind, page, message, media, link)
        return {"id": post_id}

    def _attachable(self, page: str, photo_id: str, index: int) -> _Photo:
        photo = self._photos.get(photo_id)
        if photo is None or photo.page != page:
            raise GraphError(100, f"(#100) param attached_media[{index}] has invalid media_fbid")
        return photo

    def _refuse_duplicate(self, page: str, message: str) -> None:
        mine = [post for post in self.posts if post["target"] == page]
        if not message or not mine or mine[-1]["text"] != message:
            return
        age = self.clock() - self._posted_at[mine[-1]["id"]]
        if age.total_seconds() < DUPLICATE_WINDOW:
            raise GraphError(506, "(#506) Duplicate status message")

    def _page_post_photos(self, call: _Call, page: str) -> dict[str, Any]:
        self._need_page(call, page, write=True)
        data, sent = self._fb_upload(call, "url", image=True)
        jpeg, width, height = _as_jpeg(data)
        caption = call.params.get("message") or call.params.get("caption") or ""
        published = _flag(call.params.get("published"), True)
        with self._lock:
            photo = _Photo(self._next_fb_id(), page, width, height, caption, sent, self._now_iso())
            self._photos[photo.id] = photo
            self._static[f"photo-{photo.id}.jpg"] = (jpeg, "image/jpeg")
            if not published:
                return {"id": photo.id}  # staged: nothing public, not in ``posts``
            post_id = f"{page}_{self._next_fb_id()}"
            self._add_fb_post(post_id, "fb_photo", page, caption, [sent], None, photo.id)
        return {"id": photo.id, "post_id": post_id}

    def _page_post_videos(self, call: _Call, page: str) -> dict[str, Any]:
        self._need_page(call, page, write=True)
        handle = call.params.get("fbuploader_video_file_chunk")
        if handle:
            try:
                _, sent = self.handle_video(handle)
            except UploadError as error:
                raise GraphError(error.code, error.message) from None
        else:
            _, sent = self._fb_upload(call, "file_url", image=False)
        text = call.params.get("description", "")
        with self._lock:
            video_id = self._next_fb_id()
            post_id = f"{page}_{video_id}"
            self._videos[video_id] = post_id
            permalink = f"https://www.facebook.com/{page}/videos/{video_id}/"
            self._add_fb_post(post_id, "fb_video", page, text, [sent], None, video_id, permalink)
        return {"id": video_id}

    def _fb_upload(self, call: _Call, url_param: str, *, image: bool) -> tuple[bytes, str]:
        upload = call.files.get("source")
        if upload is not None:
            return upload.data, upload.digest
        url = call.params.get(url_param)
        if not url:
            raise GraphError(324, "(#324) Requires upload file")
        try:
            return self._download(url), url
        except GraphError as exc:
            # Unconfirmed: Facebook's answer to a URL it cannot fetch.
            what = "image" if image else "video"
            raise GraphError(324, f"(#324) Missing or invalid {what} file") from exc

    def _page_get_posts(self, call: _Call, page: str) -> dict[str, Any]:
        self._need_page(call, page, write=False)
        with self._lock:
            nodes = [_post_node(p) for p in reversed(self.posts) if p["target"] == page]
        return self._paged(call, nodes, "Post", ("id", "message", "created_time"))

    _page_get_published_posts = _page_get_posts
    _page_get_feed = _page_get_posts

    def _add_fb_post(
        self,
        post_id: str,
        kind: str,
        page: str,
        text: str,
        media: list[str],
        link: str | None,
        object_id: str | None = None,
        permalink: str | None = None,
    ) -> None:
        suffix = post_id.split("_", 1)[1]
        record: dict[str, Any] = {
            "id": post_id,
            "kind": kind,
            "target": page,
            "text": text,
            "media": media,
            "link": link,
            "permalink": permalink or f"https://www.facebook.com/{page}/posts/{suffix}",
            "created_time": self._now_iso(),
        }
        if object_id is not None:
            record["object_id"] = object_id
        self._fb_posts[post_id] = record
        self._posted_at[post_id] = self.clock()
        self.posts.append(record)

    # -- Instagram edges --------------------------------------------------------------------------

    def _ig_post_media(self, call: _Call, user: str) -> dict[str, Any]:
        self._need_ig(call, user, write=True)
        media_type = call.params.get("media_type", "").upper()
        caption = call.params.get("caption", "")
        if media_type == "CAROUSEL":
            return self._new_carousel(call, user, caption)
        item = _flag(call.params.get("is_carousel_item"), False)
        if call.params.get("upload_type") == "resumable":
            return self._new_resumable(user, media_type, caption, item)
        if media_type in ("", "IMAGE"):
            url = self._fetch_image(call, feed=True)
            return self._new_container(user, "image", [url], caption, "IMAGE", item)
        if media_type == "VIDEO" and item:
            url = self._fetch_video(call)
            return self._new_container(user, "image", [url], "", "VIDEO", True)
        if media_type == "REELS":
            url = self._fetch_video(call)
            return self._new_container(user, "reel", [url], caption, "VIDEO")
        if media_type == "STORIES":
            if call.params.get("video_url"):
                url = self._fetch_video(call)
                return self._new_container(user, "story", [url], "", "VIDEO")
            url = self._fetch_image(call, feed=False)
            return self._new_container(user, "story", [url], "", "IMAGE")
        # VIDEO outside a carousel was retired for REELS.
        raise GraphError(100, f"(#100) The media type {media_type} is unknown.", 2207023)

    def _fetch_image(self, call: _Call, *, feed: bool) -> str:
        url = call.params.get("image_url")
        if not url:
            raise _missing("image_url")
        _check_ig_image(self._download(url), feed=feed)
        return url

    def _fetch_video(self, call: _Call) -> str:
        url = call.params.get("video_url")
        if not url:
            raise _missing("video_url")
        self._download(url)
        return url

    def _new_container(
        self,
        user: str,
        kind: str,
        media: list[str],
        caption: str,
        media_type: str,
        carousel_item: bool = False,
    ) -> dict[str, Any]:
        with self._lock:
            container = _Container(
                self._next_ig_id(),
                user,
                kind,
                media,
                caption,
                media_type,
                time.monotonic(),
                self._outcome,
                carousel_item,
                error_subcode=self._error_subcode,
            )
            self._containers[container.id] = container
        return {"id": container.id}

    def _new_resumable(
        self, user: str, media_type: str, caption: str, item: bool
    ) -> dict[str, Any]:
        kinds = {"REELS": "reel", "STORIES": "story", "VIDEO": "image"}
        if media_type not in kinds or (media_type == "VIDEO") != item:
            raise GraphError(
                100,
                f"(#100) upload_type=resumable is for REELS, STORIES or a "
                f"carousel's VIDEO, not {media_type or 'IMAGE'}",
            )
        kind = kinds[media_type]
        result = self._new_container(
            user, kind, ["resumable"], caption if kind == "reel" else "", "VIDEO", item
        )
        with self._lock:
            self._containers[result["id"]].resumable = True
        return result | {"uri": f"{self.url}/ig-api-upload/{self.version}/{result['id']}"}

    def uploaded(self, container_id: str) -> bytes:
        """The bytes a resumable container has received so far."""
        with self._lock:
            return bytes(self._containers[container_id].received)

    def _rupload(self, handler: _Handler, path: str) -> None:
        """The upload host: a resumable container's bytes, at the offset the client says."""
        offset, size = handler.headers.get("offset"), handler.headers.get("file_size")
        with self._lock:
            self.requests.append(
                {
                    "method": handler.command,
                    "path": path,
                    "params": {"offset": offset, "file_size": size},
                    "auth": "header" if handler.headers.get("Authorization") else None,
                }
            )
        try:
            container = self._upload_target(handler, path)
            with container.receiving:
                if handler.command == "GET":
                    answer: dict[str, Any] = {"offset": len(container.received)}
                else:
                    answer = self._receive(handler, container, int(offset or 0), int(size or -1))
        except GraphError as error:
            body = {
                "debug_info": {
                    "retriable": False,
                    "type": error.error_type,
                    "message": error.message,
                }
            }
            self._send(handler, error.status, json.dumps(body).encode(), JSON_TYPE)
            return
        if answer:
            self._send(handler, 200, json.dumps(answer).encode(), JSON_TYPE)

    def _upload_target(self, handler: _Handler, path: str) -> _Container:
        parts = [part for part in path.split("/") if part]
        token, _ = _token_from(handler.headers.get("Authorization"), {})
        with self._lock:
            grant = self._grants.get(token or "")
            container = self._containers.get(parts[-1]) if len(parts) == 3 else None
        if grant is None or not grant.valid:
            raise GraphError(190, "Invalid OAuth access token", status=401)
        if container is None or not container.resumable or parts[1] != self.version:
            raise GraphError(100, f"no resumable upload at {path}", status=400)
        if container.owner not in grant.ig_users:
            raise GraphError(10, "not allowed to upload to this container", status=403)
        return container

    def _receive(
        self, handler: _Handler, container: _Container, offset: int, size: int
    ) -> dict[str, Any]:
        """The body, kept as it arrives (a cut keeps what came); {} when the client broke."""
        length = int(handler.headers.get("Content-Length") or 0)
        with self._lock:
            if size <= 0 or offset > len(container.received) or container.uploaded:
                raise GraphError(100, f"offset {offset} or file_size {size} does not fit")
            del container.received[offset:]
            container.file_size = size
        left = length
        while left > 0:
            chunk = handler.rfile.read(min(left, 16 * 1024))
            if not chunk:
                handler.close_connection = True
                return {}
            left -= len(chunk)
            with self._lock:
                container.received.extend(chunk)
        with self._lock:
            if len(container.received) != size:
                raise GraphError(100, f"{len(container.received)} of {size} bytes received")
            container.uploaded = True
            container.created = time.monotonic()  # processing starts now
            container.media = ["sha256:" + hashlib.sha256(container.received).hexdigest()]
        return {"success": True, "message": "Upload successful."}

    def _new_carousel(self, call: _Call, user: str, caption: str) -> dict[str, Any]:
        children = _id_list(call.params.get("children", ""))
        if not 2 <= len(children) <= 10:
            raise GraphError(100, "(#100) A carousel needs between 2 and 10 children.")
        with self._lock:
            media: list[str] = []
            for index, child_id in enumerate(children):
                child = self._containers.get(child_id)
                if child is None or child.owner != user or not child.carousel_item:
                    raise GraphError(
                        100, f"(#100) children[{index}] is not a carousel item of this user"
                    )
                media.extend(child.media)
            result = self._new_container(user, "carousel", media, caption, "CAROUSEL_ALBUM")
            self._containers[result["id"]].children = children
        return result

    def _status(self, container: _Container) -> str:
        # Children are not awaited at carousel creation (public clients don't): the carousel
        # stays IN_PROGRESS until they finish, and fails with them.
        if container.published_id is not None:
            return "PUBLISHED"
        if container.resumable and not container.uploaded:
            return "IN_PROGRESS"  # unconfirmed: Meta's word for a container awaiting its bytes
        ready = time.monotonic() - container.created >= self.container_delay
        own = container.outcome if ready else "IN_PROGRESS"
        kids = [self._status(self._containers[c]) for c in container.children]
        if "ERROR" in kids or "EXPIRED" in kids:
            return "ERROR"
        return "IN_PROGRESS" if "IN_PROGRESS" in kids else own

    def _ig_post_media_publish(self, call: _Call, user: str) -> dict[str, Any]:
        self._need_ig(call, user, write=True)
        creation_id = call.params.get("creation_id")
        if not creation_id:
            raise _missing("creation_id")
        with self._lock:
            container = self._containers.get(creation_id)
            if container is None or container.owner != user or container.published_id:
                raise _builder_gone(creation_id)
            if container.carousel_item:
                raise GraphError(100, "(#100) A carousel item can only be published in a carousel")
            self._ready_to_publish(container)
            used = self._quota.get(user, 0)
            if used >= self.quota_total:
                raise _quota_reached()
            media_id = self._add_ig_media(container)
            self._quota[user] = used + 1
        return {"id": media_id}

    def _ready_to_publish(self, container: _Container) -> None:
        status = self._status(container)
        if status == "IN_PROGRESS":
            raise _not_ready()
        if status == "EXPIRED":
            text = "The media you are trying to access has expired. Please try to upload again."
            raise _ig_error(-2, 2207020, text, "Media expired", text)
        if status == "ERROR":
            text = "Create media fail, please try to re-create media"
            raise _ig_error(-1, 2207032, text, "Media creation failed", text)

    def _add_ig_media(self, container: _Container) -> str:
        media_id = self._next_ig_id()
        shortcode = base64.urlsafe_b64encode(hashlib.sha256(media_id.encode()).digest())
        code = shortcode.decode()[:11]
        kind, product, link = {
            "image": ("ig_image", "FEED", f"https://www.instagram.com/p/{code}/"),
            "carousel": ("ig_carousel", "FEED", f"https://www.instagram.com/p/{code}/"),
            "reel": ("ig_reel", "REELS", f"https://www.instagram.com/reel/{code}/"),
            "story": (
                "ig_story",
                "STORY",
                f"https://www.instagram.com/stories/{_username(container.owner)}/{media_id}/",
            ),
        }[container.kind]
        record: dict[str, Any] = {
            "id": media_id,
            "kind": kind,
            "target": container.owner,
            "text": container.caption,
            "media": list(container.media),
            "link": None,
            "permalink": link,
            "created_time": self._now_iso(),
            "container": container.id,
        }
        self._ig_media[media_id] = record
        self._ig_extra[media_id] = {
            "media_type": container.media_type,
            "product": product,
            "shortcode": code,
        }
        container.published_id = media_id
        self.posts.append(record)
        return media_id

    def _ig_get_media(self, call: _Call, user: str) -> dict[str, Any]:
        # Stories are not on /media (they have their own edge), as with Meta.
        return self._ig_list(call, user, stories=False)

    def _ig_get_stories(self, call: _Call, user: str) -> dict[str, Any]:
        return self._ig_list(call, user, stories=True)

    def _ig_list(self, call: _Call, user: str, *, stories: bool) -> dict[str, Any]:
        self._need_ig(call, user, write=False)
        with self._lock:
            nodes = [
                self._media_node(post)
                for post in reversed(self.posts)
                if post["target"] == user and (post["kind"] == "ig_story") == stories
            ]
        return self._paged(call, nodes, "IGMedia", ("id",), expand=True)

    def _ig_get_content_publishing_limit(self, call: _Call, user: str) -> dict[str, Any]:
        # Its reference asks instagram_basic, instagram_content_publish, pages_read_engagement.
        self._need_ig(call, user, write=True)
        with self._lock:
            used = self._quota.get(user, 0)
        config = {"quota_total": self.quota_total, "quota_duration": QUOTA_DURATION}
        return {"data": [{"quota_usage": used, "config": config}]}

    # -- permissions and insights (accounts check) ------------------------------------------

    def _me_permissions(self, grant: _Grant) -> dict[str, Any]:
        # The User permissions edge; a Page token's /me is the Page, which has no such edge.
        if grant.kind == "page":
            raise GraphError(
                100, "(#100) Tried accessing nonexisting field (permissions) on node type (Page)"
            )
        return {"data": [{"permission": s, "status": "granted"} for s in grant.scopes]}

    def _ig_get_insights(self, call: _Call, user: str) -> dict[str, Any]:
        self._need_ig(call, user, write=False)
        wanted = "instagram_business_manage_insights" if call.grant.kind == "instagram" else ""
        if (wanted or "instagram_manage_insights") not in call.grant.scopes:
            raise GraphError(10, "(#10) Application does not have permission for this action")
        return {"data": [self._insight(call, "Reach")]}

    def _page_get_insights(self, call: _Call, page: str) -> dict[str, Any]:
        self._need_page(call, page, write=False)
        if "read_insights" not in call.grant.scopes:
            # Unconfirmed wording; the code (10, a permission) is what callers go by.
            raise GraphError(10, "(#10) This endpoint requires the 'read_insights' permission.")
        return {"data": [self._insight(call, "Post engagements")]}

    def _insight(self, call: _Call, title: str) -> dict[str, Any]:
        metric = call.params.get("metric")
        if not metric:
            raise _missing("metric")
        period = call.params.get("period", "day")
        return {
            "name": metric,
            "period": period,
            "values": [{"value": 0, "end_time": self._now_iso()}],
            "title": title,
            "id": f"{call.parts[1]}/insights/{metric}/{period}",
        }

    # -- helpers --------------------------------------------------------------------------------

    def _paged(
        self,
        call: _Call,
        nodes: list[dict[str, Any]],
        node_type: str,
        default: Sequence[str],
        *,
        expand: bool = False,
    ) -> dict[str, Any]:
        try:
            limit = min(max(int(call.params.get("limit") or 25), 1), 100)
        except ValueError as exc:
            raise GraphError(100, "(#100) limit must be an integer") from exc
        start = _uncursor(call.params.get("after"))
        chunk = nodes[start : start + limit]
        result: dict[str, Any] = {
            "data": [self._one_of(call, node_type, n, default, expand) for n in chunk]
        }
        if chunk:
            end = start + len(chunk)
            paging: dict[str, Any] = {"cursors": {"before": _cursor(start), "after": _cursor(end)}}
            if end < len(nodes):
                query = {k: v for k, v in call.params.items() if k != "after"}
                paging["next"] = (
                    f"{self.url}{call.path}?{urlencode(query | {'after': _cursor(end)})}"
                )
            result["paging"] = paging
        return result

    def _one_of(
        self,
        call: _Call,
        node_type: str,
        node: dict[str, Any],
        default: Sequence[str],
        expand: bool,
    ) -> dict[str, Any]:
        fields, extra = call.params.get("fields"), {}
        if expand:
            fields, extra = self.expand(call, node["id"], fields)
        return _select(node_type, node, fields, default) | extra

    def _download(self, url: str) -> bytes:
        """Fetch media as Meta would, but from 127.0.0.1 only: nothing else is ever contacted."""
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname != "127.0.0.1":
            raise _download_failed(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection = HTTPConnection("127.0.0.1", parts.port or 80, timeout=FETCH_TIMEOUT)
        try:
            connection.request("GET", target or "/")
            response = connection.getresponse()
            data = response.read()
        except TimeoutError as exc:
            raise _download_slow() from exc
        except (OSError, HTTPException) as exc:
            raise _download_failed(url) from exc
        finally:
            connection.close()
        if response.status != 200:
            raise _download_failed(url)
        return data

    def _next_fb_id(self) -> str:
        return str(100_000_000_000_000 + next(self._ids))

    def _next_ig_id(self) -> str:
        return str(17_900_000_000_000_000 + next(self._ids))


# -- node builders and parsing helpers --------------------------------------------------------


def _page_name(page: str) -> str:
    return f"Fake Page {page}"


def _username(user: str) -> str:
    return f"fake_{user}"


def _page_node(page: str) -> dict[str, Any]:
    return {
        "id": page,
        "name": _page_name(page),
        "username": f"fakepage{page}",
        "link": f"https://www.facebook.com/{page}",
        "category": "Government organization",
    }


def _post_node(post: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": post["id"],
        "message": post["text"] or None,
        "created_time": post["created_time"],
        "permalink_url": post["permalink"],
        "is_published": True,
    }


def _video_node(video_id: str, post: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": video_id,
        "description": post["text"] or None,
        "title": None,
        "permalink_url": post["permalink"],
        "created_time": post["created_time"],
    }


def _targets(scope: str, grant: _Grant) -> list[str]:
    if scope.startswith("pages_"):
        return list(grant.pages)
    return list(grant.ig_users) if scope.startswith("instagram_") else []


def _attached_media(params: dict[str, str]) -> list[str]:
    """Photo ids from ``attached_media[0]``… or one JSON array ``attached_media``."""
    indexed = sorted(
        (int(found.group(1)), value)
        for key, value in params.items()
        if (found := re.fullmatch(r"attached_media\[(\d+)\]", key))
    )
    items: list[Any] = [value for _, value in indexed]
    if "attached_media" in params:
        try:
            items = list(json.loads(params["attached_media"]))
        except (ValueError, TypeError) as exc:
            raise GraphError(100, "(#100) param attached_media must be an array") from exc
    ids: list[str] = []
    for index, item in enumerate(items):
        try:
            entry = json.loads(item) if isinstance(item, str) else item
            ids.append(str(entry["media_fbid"]))
        except (ValueError, TypeError, KeyError) as exc:
            raise GraphError(
                100, f"(#100) param attached_media[{index}] must be an object with media_fbid"
            ) from exc
    return ids


def _id_list(value: str) -> list[str]:
    text = value.strip()
    if text.startswith("["):
        try:
            return [str(item) for item in json.loads(text)]
        except ValueError as exc:
            raise GraphError(100, "(#100) param children must be a list of ids") from exc
    return [item.strip() for item in text.split(",") if item.strip()]


# The explicit name lets a test module import this under another name (``... as _fixture``)
# and still ask for ``fake_graph``, so its test parameters don't shadow the import (F811).
@pytest.fixture(name="fake_graph")
def fake_graph() -> Iterator[FakeGraph]:
    """A started FakeGraph, stopped afterwards; fails the test if the fake itself crashed."""
    with FakeGraph() as fake:
        yield fake
    if fake.server_errors:
        pytest.fail("the fake Graph API crashed:\n" + "\n".join(fake.server_errors))
    if fake.deprecated_asked:
        pytest.fail(f"retired insight metrics were asked for: {fake.deprecated_asked}")
