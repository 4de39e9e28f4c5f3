"""A local JSON webhook on 127.0.0.1 for Apprise's ``json://`` URLs: it keeps what it was
sent, and can be told to answer 500 until it recovers, or to hang (read the message and answer
nothing) until it is released."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Webhook:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.port = 0
        self.answered = threading.Event()  # cleared: every request hangs until it is set
        self.answered.set()
        self.hung = 0  # requests that waited for the release

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"


@contextmanager
def webhook() -> Iterator[Webhook]:
    hook = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not hook.answered.is_set():
                hook.hung += 1
                hook.answered.wait(120)
                return  # the sender gave up long ago: it gets no answer at all
            if hook.status == 200:
                hook.received.append(json.loads(data))
            self.send_response(hook.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
