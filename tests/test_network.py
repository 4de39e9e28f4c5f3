"""Where the network ends (``scheduler.adapters.network.unreached``), on the transports jadwal
uses, with real sockets on 127.0.0.1: requests over urllib3 (the Graph API, instagrapi's
``requests`` transport) and libcurl through curl_cffi (instagrapi's default ``curl``
transport, its own adapter included). "Nothing was sent" (refused, no such name, no TLS)
is ``Offline``; a request that went out and lost its answer is not."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from instagrapi import Client
from instagrapi.transports import create_curl_h2_adapter

from scheduler.adapters.base import Draft, Progress
from scheduler.adapters.graph.errors import translate as graph_translate
from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter
from scheduler.adapters.instagrapi.errors import translate as instagrapi_translate
from scheduler.adapters.instagrapi.session import save_session, session_path
from scheduler.adapters.network import Endpoint, probe, unreached
from scheduler.calendar import load_calendar
from scheduler.errors import Offline, OutcomeUnknown, Transient
from tests.conftest import WriteCalendar

REFUSED = "could not connect (connection refused)"
TLS = "the secure connection (TLS) could not be set up"
DNS = "the address could not be found (DNS): is the internet connection up?"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    """A TCP server on 127.0.0.1 whose behaviour the test sets: ``plain`` answers garbage to
    anything (so TLS fails), ``cut`` reads the request and closes without an answer."""
    mode = ["cut"]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            client.recv(65536)
            if mode[0] == "plain":
                client.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            client.close()

    threading.Thread(target=serve, daemon=True).start()
    yield int(listener.getsockname()[1]), mode
    listener.close()


def failure(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except Exception as exc:  # the exception is what the test looks at
        return exc
    raise AssertionError("the request succeeded")


# -- requests over urllib3 ------------------------------------------------------------------


def test_requests_a_refused_connection_is_unreached() -> None:
    exc = failure(lambda: requests.post(f"http://127.0.0.1:{closed_port()}/feed", timeout=5))
    assert unreached(exc) == REFUSED


def test_requests_a_name_that_does_not_resolve_is_unreached() -> None:
    exc = failure(lambda: requests.get("http://graph.facebook.invalid/", timeout=5))
    assert unreached(exc) == DNS


def test_requests_a_failed_tls_handshake_is_unreached(server: tuple[int, list[str]]) -> None:
    port, mode = server
    mode[0] = "plain"
    exc = failure(lambda: requests.post(f"https://127.0.0.1:{port}/feed", timeout=5))
    assert unreached(exc) == TLS


def test_requests_an_answer_lost_after_the_request_was_sent_may_have_reached(
    server: tuple[int, list[str]],
) -> None:
    port, _ = server
    exc = failure(lambda: requests.post(f"http://127.0.0.1:{port}/feed", data="x", timeout=5))
    assert unreached(exc) is None


def test_graph_publish_refused_is_offline_and_a_lost_answer_is_unknown(
    server: tuple[int, list[str]],
) -> None:
    refused = failure(lambda: requests.post(f"http://127.0.0.1:{closed_port()}/feed", timeout=5))
    error = graph_translate(refused, safe=False)
    assert isinstance(error, Offline)
    assert error.message == f"no connection to the Graph API: {REFUSED}; nothing was sent"
    port, _ = server
    lost = failure(lambda: requests.post(f"http://127.0.0.1:{port}/feed", data="x", timeout=5))
    assert isinstance(graph_translate(lost, safe=False), OutcomeUnknown)
    assert type(graph_translate(lost, safe=True)) is Transient


# -- libcurl through curl_cffi, as instagrapi's default transport sends -----------------------


def curl_send(url: str) -> BaseException:
    """One request through instagrapi's curl transport adapter (requests on top, libcurl
    below), as its private session sends every request."""
    session = requests.Session()
    session.mount("http://", create_curl_h2_adapter())
    return failure(lambda: session.post(url, data=b"x" * 1000, timeout=(5, 5)))


def test_curl_a_refused_connection_is_unreached() -> None:
    exc = curl_send(f"http://127.0.0.1:{closed_port()}/api/v1/media/configure/")
    assert isinstance(exc, requests.ConnectionError)  # what the transport raises to instagrapi
    assert unreached(exc) == "could not connect"


def test_curl_a_cut_after_the_request_may_have_reached(server: tuple[int, list[str]]) -> None:
    port, _ = server
    exc = curl_send(f"http://127.0.0.1:{port}/api/v1/media/configure/")
    assert isinstance(exc, requests.ConnectionError)
    assert unreached(exc) is None
    said = instagrapi_translate(exc, "desa-ig", sent=True)
    assert isinstance(said, OutcomeUnknown)  # configure went out: looked up, never resent


def test_instagrapi_configure_refused_is_offline_not_unknown() -> None:
    """The configure request was handed to the transport (``sent``), but never left."""
    exc = curl_send(f"http://127.0.0.1:{closed_port()}/api/v1/media/configure/")
    said = instagrapi_translate(exc, "desa-ig", sent=True)
    assert isinstance(said, Offline)
    assert said.message == (
        "no connection to Instagram for desa-ig: could not connect; nothing was sent"
    )


def test_instagrapi_over_its_default_curl_transport_finds_no_connection(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The adapter's whole path, instagrapi's own code and its curl transport included, with
    Instagram's address pointing at a closed port: the upload can't start, so ``Offline``."""
    import instagrapi.config

    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    monkeypatch.setattr(instagrapi.config, "API_DOMAIN", f"127.0.0.1:{closed_port()}")
    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    calendar = load_calendar(
        write_calendar(
            "version: 1\ntimezone: Asia/Jakarta\naccounts:\n  desa-ig: {platform: instagram, "
            "via: instagrapi, username: desa.maju, password: '${IG_PASSWORD}'}\n"
            "rules: {min_posts_per_week: 0}\nposts: []\n"
        )
    )
    account = calendar.accounts["desa-ig"]
    client = Client()  # the default transport: curl
    assert client.private_transport == "curl"
    client.authorization_data = {"ds_user_id": "4242", "sessionid": "4242%3Aabc%3A12%3AAY"}
    save_session(client, session_path(account))
    adapter = InstagrapiAdapter(calendar, account)
    draft = Draft(
        key="k",
        post_id="posyandu",
        account="desa-ig",
        platform="instagram",
        at=datetime(2027, 3, 6, 1, 0, tzinfo=UTC),
        caption="Posyandu",
        media=(calendar.folder / "media" / "posyandu.jpg",),
    )
    with pytest.raises(Offline, match="no connection to Instagram for desa-ig: could not connect"):
        adapter.publish(draft, Progress())
    assert adapter.endpoint == Endpoint("Instagram", "https://i.instagram.com/")


# -- the connection check -------------------------------------------------------------------


def test_the_check_says_reachable_on_any_answer_and_why_not_otherwise(
    server: tuple[int, list[str]],
) -> None:
    port, mode = server
    mode[0] = "plain"
    assert probe(Endpoint("the Graph API", f"http://127.0.0.1:{port}/")) is None  # a 400 is fine
    down = Endpoint("the Graph API", f"http://127.0.0.1:{closed_port()}/")
    assert probe(down) == REFUSED
    assert down.key == f"127.0.0.1:{down.url.rsplit(':', 1)[1].rstrip('/')}"
    assert Endpoint("the Graph API", "https://graph.facebook.com/").key == "graph.facebook.com:443"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            Offline("no connection to the Graph API: …", "could not connect (connection refused)"),
            "no connection to the Graph API (could not connect (connection refused)): check the "
            "internet connection; the token was not checked",
        ),
        (
            Transient("no answer from the Graph API (timeout or dropped connection)"),
            "the Graph API did not answer (no answer from the Graph API (timeout or dropped "
            "connection)): try again in a few minutes; the token was not checked",
        ),
        (
            Transient("Service temporarily unavailable", code=2),
            "the Graph API had a temporary problem ((#2) Service temporarily unavailable): try "
            "again in a few minutes; the token was not checked",
        ),
    ],
    ids=["no internet", "no answer", "the platform's trouble"],
)
def test_accounts_check_tells_no_internet_from_no_answer_from_the_platforms_trouble(
    error: Transient, said: str
) -> None:
    from scheduler.adapters.graph.token import check_failure

    assert check_failure(error, "token") == said


def test_a_graph_upload_waits_for_its_answer_as_long_as_the_upload_may_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operating system keeps megabytes of an upload after the client "sent" them; the
    answer is waited for as long as they may take at the slowest link (20 kB/s)."""
    from scheduler.adapters.graph.client import TIMEOUT, GraphSession

    seen: list[object] = []
    monkeypatch.setattr(
        requests.Session, "request", lambda _self, *_a, **kw: seen.append(kw.get("timeout"))
    )
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(b"\xff" * 2_000_000)
    session = GraphSession("http://127.0.0.1:9", "EAAGtoken")
    with photo.open("rb") as handle:
        session.request(
            "POST",
            "https://graph.facebook.com/v25.0/1/photos",
            files={"source": handle},
            timeout=TIMEOUT,
        )
    session.request("GET", "https://graph.facebook.com/v25.0/1", timeout=TIMEOUT)
    assert seen == [TIMEOUT + 100.0, TIMEOUT]
