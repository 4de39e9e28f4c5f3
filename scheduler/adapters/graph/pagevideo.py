"""A Facebook Page's video by Meta's Resumable Upload API, as the Video API guide now publishes.

Meta's "Publish with the Video API" guide (cited in docs/platforms.md) sends a Page video in
three steps; the first two publish nothing:

1. ``POST /{version}/{app-id}/uploads`` with ``file_name``, ``file_length`` and ``file_type``
   (``video/mp4``: the only video type the API lists), with a user token of someone who has a
   role on the app: the answer's ``id`` is the upload session, ``upload:…``;
2. ``POST /{version}/upload:…`` with the headers ``Authorization: OAuth {user token}`` and
   ``file_offset``, the bytes as the body: the answer's ``h`` is the file's handle. An upload
   cut half way is resumed where the session says it got to (``file_offset`` in the answer to
   a ``GET`` on the same address);
3. ``POST /{page}/videos`` with ``fbuploader_video_file_chunk={handle}``, with the Page token:
   the call that makes the video public (the adapter's, confirmed with the engine first).

Each try makes a new session: a session left by a crashed try is not worth finding again
(the bytes are sent again, nothing is public). The user token goes only to the configured
Graph API host, and is scrubbed from every message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.adapters.graph.client import Graph
from scheduler.adapters.graph.resumable import Resumable, _size

VIDEO_TYPE = "video/mp4"


class PageVideoUpload(Resumable):
    """Steps 1 and 2: a local video in an upload session of the app, and its handle."""

    offset_header = "file_offset"

    def __init__(
        self, app_id: str, user_token: str, base_url: str, version: str, session: Any = None
    ) -> None:
        self.version = version if version.startswith("v") else f"v{version}"
        super().__init__(user_token, base_url, session)
        self.app_id = app_id
        self.graph = Graph(user_token, base_url, self.version)
        self.graph._secrets.append(app_id)  # not a secret to Meta, but the office's own

    def handle(self, path: Path) -> str:
        started = self.graph.post(
            f"{self.app_id}/uploads",
            {"file_name": path.name, "file_length": str(_size(path)), "file_type": VIDEO_TYPE},
        )
        session = str(started["id"])
        answer = self.upload(f"{self.base_url}/{self.version}/{session}", path)
        return str(answer["h"])

    def done(self, body: dict[str, Any]) -> bool:
        return bool(body.get("h"))

    def extra_headers(self, size: int) -> dict[str, str]:
        return {}  # the session knows the file's length from step 1
