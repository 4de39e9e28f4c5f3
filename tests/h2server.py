"""A stand-in for Instagram's private API that instagrapi's default curl transport can talk
to: HTTPS with HTTP/2 on 127.0.0.1 (libcurl insists on both), a certificate made for the test
run by ``openssl``, and answers the test chooses per request path.

``responses`` only intercepts urllib3, so the curl transport needs a real server. Each answer
is a function of the path (and the number of earlier requests to it) returning
``(status, body)``; a ``None`` answer resets the stream instead, as a lost answer looks.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import h2.config
import h2.connection
import h2.events

Answer = Callable[[str, int], tuple[int, bytes] | None]  # (path, earlier requests to it)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make the test server's certificate"
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


@dataclass
class H2Server:
    port: int
    certificate: Path
    paths: list[str] = field(default_factory=list)  # every request's path, in order
    bodies: list[tuple[str, bytes]] = field(default_factory=list)  # (path, body), in order


@contextmanager
def h2_server(folder: Path, answer: Answer) -> Iterator[H2Server]:
    cert, key = make_certificate(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["h2"])
    listener = socket.create_server(("127.0.0.1", 0))
    server = H2Server(int(listener.getsockname()[1]), cert)
    counts: defaultdict[str, int] = defaultdict(int)

    def accept() -> None:
        while True:
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_serve, args=(raw,), daemon=True).start()

    def _serve(raw: socket.socket) -> None:
        try:
            with context.wrap_socket(raw, server_side=True) as sock:
                _connection(sock, server, counts, answer)
        except (OSError, ssl.SSLError):
            return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server
    finally:
        listener.close()


def _connection(
    sock: ssl.SSLSocket, server: H2Server, counts: defaultdict[str, int], answer: Answer
) -> None:
    conn = h2.connection.H2Connection(
        h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
    )
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    paths: dict[int, str] = {}
    bodies: defaultdict[int, bytearray] = defaultdict(bytearray)
    while data := sock.recv(65536):
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                paths[event.stream_id] = dict(event.headers)[":path"].split("?")[0]
            elif isinstance(event, h2.events.DataReceived):
                bodies[event.stream_id] += event.data
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                path = paths.pop(event.stream_id)
                server.paths.append(path)
                server.bodies.append((path, bytes(bodies.pop(event.stream_id, b""))))
                _respond(conn, event.stream_id, answer(path, counts[path]))
                counts[path] += 1
        sock.sendall(conn.data_to_send())


def _respond(conn: h2.connection.H2Connection, stream: int, said: tuple[int, bytes] | None) -> None:
    if said is None:
        conn.reset_stream(stream)
        return
    status, body = said
    headers = [(":status", str(status)), ("content-type", "application/json")]
    conn.send_headers(stream, [*headers, ("content-length", str(len(body)))])
    conn.send_data(stream, body, end_stream=True)
