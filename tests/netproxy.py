"""A village internet connection for tests: a TCP proxy on 127.0.0.1 in front of one upstream
(the fake Graph API), whose state a test sets, or a schedule sets from a clock.

States (``Link.state``):
- ``up``: bytes pass both ways (at ``rate`` bytes a second when it is set: a slow link; the
  rate holds for each connection, not for the link as a whole);
- ``refuse``: nothing listens on the port any more and every open connection is reset: the
  client's connect is refused, as when the router has no uplink. The port stays bound (not
  listening) meanwhile, so that no server of another test, in this process or another worker,
  is given it and answers in the link's place;
- ``blackhole``: connections are accepted and read, and nothing ever comes back;
- ``cut``: requests pass to the upstream, its answers are dropped and the connection is
  closed: the request was sent, the answer is lost;
- ``cut_upload``: the connection is closed after ``cut_after`` bytes from the client: an
  upload interrupted half way.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

STATES = ("up", "refuse", "blackhole", "cut", "cut_upload")
CHUNK = 16 * 1024


class Link:
    def __init__(self, upstream: str, schedule: Callable[[], str] | None = None) -> None:
        host, _, port = upstream.removeprefix("http://").rstrip("/").partition(":")
        self.upstream = (host, int(port))
        self.schedule = schedule  # consulted on every new connection, when given
        self.rate: float | None = None  # bytes a second, each way
        self.cut_after = 64 * 1024
        self.accepted = 0  # connections that got through to the upstream
        self.refused_since: float | None = None
        self._state = "up"
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._held: socket.socket | None = None  # the port, while refusing
        self._stopping = False
        self.port = self._listen(0)
        self.url = f"http://127.0.0.1:{self.port}"

    # -- the state -------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, state: str) -> None:
        assert state in STATES, state
        with self._lock:
            if state == self._state:
                return
            self._state = state
        if state == "refuse":
            self._close_listener()
            self._hold()
            self._reset_all()
        elif self._listener is None:
            self._release()
            self._listen(self.port)

    def stop(self) -> None:
        self._stopping = True
        self._close_listener()
        self._release()
        self._reset_all()

    # -- listening -------------------------------------------------------------------------

    def _listen(self, port: int) -> int:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return int(listener.getsockname()[1])

    def _hold(self) -> None:
        """Keep the port bound without listening: a connect to it is refused, and the kernel
        hands a bound port to no other socket that asks for a free one."""
        held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        held.bind(("127.0.0.1", self.port))
        self._held = held

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: refusing, or stopped
            if self.schedule is not None:
                self.state = self.schedule()
            if self._state == "refuse" or self._stopping:
                _reset(client)
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    # -- one connection --------------------------------------------------------------------

    def _serve(self, client: socket.socket) -> None:
        self._track(client)
        if self._state == "blackhole":
            _drain(client)
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=30)
        except OSError:
            _reset(client)
            return
        upstream.settimeout(None)  # a slow upload may take longer than any fixed timeout
        self.accepted += 1
        self._track(upstream)
        cut = self._state in ("cut", "cut_upload")
        limit = self.cut_after if self._state == "cut_upload" else None
        threading.Thread(target=self._pump, args=(client, upstream, limit), daemon=True).start()
        if cut:  # the answer never arrives: wait for it, then drop both ends
            _wait_readable(upstream)
            _reset(client)
            upstream.close()
            return
        self._pump(upstream, client, None)

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = source.recv(CHUNK if self.rate is None else max(1, int(self.rate) // 10))
                if not data:
                    break
                if limit is not None and sent + len(data) > limit:
                    sink.sendall(data[: max(0, limit - sent)])
                    _reset(source)
                    _reset(sink)
                    return
                sink.sendall(data)
                sent += len(data)
                if self.rate is not None:
                    time.sleep(len(data) / self.rate)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _reset_all(self) -> None:
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            _reset(sock)


def _reset(sock: socket.socket) -> None:
    """Drop the connection, as a dropped link looks to the other end. ``shutdown`` first: a
    thread blocked reading the socket wakes at once (``close`` alone would wait for it)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def _drain(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while sock.recv(CHUNK):
            pass


def _wait_readable(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.settimeout(30)
        sock.recv(1, socket.MSG_PEEK)


def noise_jpeg(path: Path, side: int) -> int:
    """A photo that does not compress, for a slow link to carry: its size in bytes."""
    from PIL import Image

    rng = random.Random(side)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90)
    return path.stat().st_size
