"""The fake Graph API's Resumable Upload API (``FakeGraph`` mixes it in).

Meta's "Resumable Upload API" and "Publish with the Video API" pages:

- ``POST /{version}/{app-id}/uploads`` with ``file_name``, ``file_length`` and ``file_type``
  (one of application/pdf, image/jpeg, image/jpg, image/png, video/mp4), with a user token of
  someone who has a role on the app (``add_app_role``), answers ``{"id": "upload:…"}``;
- ``POST /{version}/upload:…`` with ``Authorization: OAuth {user token}`` and ``file_offset``
  adds the body at that offset (what arrived before a cut is kept) and, once all
  ``file_length`` bytes are in, answers ``{"h": handle}``; a ``GET`` answers ``{"id",
  "file_offset"}`` (how far it got);
- ``POST /{page}/videos`` takes ``fbuploader_video_file_chunk={handle}`` in place of the
  file (``handle_video``).

Where the pages leave an error's code open, the code says "unconfirmed".
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

FILE_TYPES = ("application/pdf", "image/jpeg", "image/jpg", "image/png", "video/mp4")


class UploadError(Exception):
    """An answer the upload session gives instead of its work: (status, code, message)."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class _Session:
    id: str
    app_id: str
    file_length: int
    received: bytearray = field(default_factory=bytearray)
    handle: str | None = None
    receiving: threading.Lock = field(default_factory=threading.Lock)


class UploadSessions:
    """Upload sessions of apps, and the handles of the files they received."""

    def __init_uploads(self) -> None:
        if not hasattr(self, "_sessions"):
            self._sessions: dict[str, _Session] = {}
            self._handles: dict[str, bytes] = {}
            self._app_roles: dict[str, set[str]] = {}
            self._session_ids = itertools.count(1)
            self._uploads_lock = threading.RLock()

    def add_app_role(self, app_id: str, token: str) -> None:
        """The person whose user ``token`` this is has a role on the app ``app_id``."""
        self.__init_uploads()
        with self._uploads_lock:
            self._app_roles.setdefault(app_id, set()).add(token)

    def known_app(self, app_id: str) -> bool:
        self.__init_uploads()
        return app_id in self._app_roles

    def start_session(self, app_id: str, token: str | None, params: dict[str, str]) -> dict:
        self.__init_uploads()
        with self._uploads_lock:
            if token not in self._app_roles.get(app_id, set()):
                # Unconfirmed code: the page says only that the user needs a role on the app.
                raise UploadError(400, 10, "(#10) The user must have a role on this app")
        kind, length = params.get("file_type", ""), params.get("file_length", "")
        if kind not in FILE_TYPES:
            raise UploadError(400, 100, f"(#100) Invalid file_type: {kind or '(none)'}")
        if not length.isdigit() or int(length) <= 0:
            raise UploadError(400, 100, "(#100) file_length must be a positive integer")
        with self._uploads_lock:
            session = _Session(f"upload:{next(self._session_ids):06d}", app_id, int(length))
            self._sessions[session.id] = session
        return {"id": session.id}

    def session_for(self, name: str, token: str | None) -> _Session:
        self.__init_uploads()
        with self._uploads_lock:
            session = self._sessions.get(name)
            if session is None:
                raise UploadError(400, 100, f"(#100) no upload session {name}")
            if token not in self._app_roles.get(session.app_id, set()):
                raise UploadError(401, 190, "Invalid OAuth access token")
        return session

    def offset_of(self, session: _Session) -> dict[str, Any]:
        return {"id": session.id, "file_offset": len(session.received)}

    def receive(self, session: _Session, offset: int, read: Any, length: int) -> dict | None:
        """The body at ``offset``; None when the client broke off (what came is kept)."""
        with self._uploads_lock:
            if session.handle is not None or offset != len(session.received):
                raise UploadError(400, 100, f"(#100) file_offset {offset} does not fit")
        left = length
        while left > 0:
            try:
                chunk = read(min(left, 16 * 1024))
            except OSError:  # the client's connection broke
                chunk = b""
            if not chunk:
                return None
            left -= len(chunk)
            with self._uploads_lock:
                session.received.extend(chunk)
        with self._uploads_lock:
            if len(session.received) != session.file_length:
                got = len(session.received)
                raise UploadError(400, 100, f"{got} of {session.file_length} bytes received")
            digest = "sha256:" + hashlib.sha256(session.received).hexdigest()
            session.handle = f"4:{digest}"
            self._handles[session.handle] = bytes(session.received)
        return {"h": session.handle}

    def handle_video(self, handle: str) -> tuple[bytes, str]:
        """The bytes behind a handle, and the digest the posts record."""
        self.__init_uploads()
        with self._uploads_lock:
            data = self._handles.get(handle)
        if data is None:
            raise UploadError(400, 100, "(#100) Invalid fbuploader_video_file_chunk")
        return data, "sha256:" + hashlib.sha256(data).hexdigest()

    @property
    def upload_sessions(self) -> int:
        self.__init_uploads()
        return len(self._sessions)
