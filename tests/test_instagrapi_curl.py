"""The instagrapi adapter on instagrapi's default transport, libcurl through curl_cffi over
HTTPS and HTTP/2, the way a production daemon sends: instagrapi's own code down to the bytes
on the wire, against a local stand-in for Instagram (``tests.h2server``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from instagrapi import Client

from scheduler.adapters.base import Progress
from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter
from scheduler.adapters.instagrapi.session import save_session, session_path
from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.errors import OutcomeUnknown
from tests.conftest import WriteCalendar
from tests.h2server import Answer, H2Server, h2_server
from tests.test_instagram_private import (
    AT,
    CALENDAR,
    CAPTION,
    RESENT,
    SESSIONID,
    USER_ID,
    draft,
    feed,
    media_item,
)

CONFIGURE = "/api/v1/media/configure/"


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """instagrapi sleeps before every request, and 60 s before re-sending after a 408."""
    monkeypatch.setattr("time.sleep", lambda _seconds: None)


@pytest.fixture
def calendar(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Calendar:
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    return load_calendar(write_calendar(CALENDAR))


def instagram(configure: list[tuple[int, dict[str, object]] | None]) -> Answer:
    """Instagram's answers: the feed, photo uploads, and ``configure`` in turn."""

    def answer(path: str, earlier: int) -> tuple[int, bytes] | None:
        if path == CONFIGURE:
            said = configure[min(earlier, len(configure) - 1)]
            return None if said is None else (said[0], json.dumps(said[1]).encode())
        if path.startswith("/rupload_igphoto/"):
            return 200, b'{"upload_id": "1", "status": "ok"}'
        if path.startswith(f"/api/v1/feed/user/{USER_ID}/"):
            return 200, json.dumps(feed()).encode()
        return 404, b'{"status": "fail", "message": "not here"}'

    return answer


def curl_adapter(
    calendar: Calendar, server: H2Server, monkeypatch: pytest.MonkeyPatch
) -> InstagrapiAdapter:
    import instagrapi.config

    monkeypatch.setattr(instagrapi.config, "API_DOMAIN", f"127.0.0.1:{server.port}")
    # requests lets these override a session's own CA file: the stand-in's must count.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    account = calendar.accounts["desa-ig"]
    signed_in = Client()
    signed_in.authorization_data = {"ds_user_id": USER_ID, "sessionid": SESSIONID}
    signed_in.set_tls_verify(str(server.certificate))  # trust the stand-in's certificate
    save_session(signed_in, session_path(account))
    adapter = InstagrapiAdapter(calendar, account)  # the daemon's client: the curl transport
    assert adapter.client().private_transport == "curl"
    return adapter


POSTED = {"media": media_item("3301234567890123456", "DAbC123xYz", CAPTION, AT), "status": "ok"}


def test_curl_publishes_a_photo_through_instagrapi(
    calendar: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with h2_server(tmp_path, instagram([(200, POSTED)])) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        published = adapter.publish(draft(calendar), Progress())

    assert published.permalink == "https://www.instagram.com/p/DAbC123xYz/"
    assert server.paths.count(CONFIGURE) == 1


def test_curl_a_408_to_configure_is_never_sent_again(
    calendar: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """instagrapi re-sends after HTTP 408 (60 s later): the first may have published."""
    answers = instagram([(408, {"message": "Request Timeout"}), (200, POSTED)])
    with h2_server(tmp_path, answers) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(draft(calendar), Progress())

    assert caught.value.message == RESENT.format(first="Instagram answered HTTP 408")
    assert server.paths.count(CONFIGURE) == 1


def test_curl_a_reset_answer_to_configure_is_unknown_and_not_sent_again(
    calendar: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with h2_server(tmp_path, instagram([None, (200, POSTED)])) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        with pytest.raises(OutcomeUnknown, match="may have published it"):
            adapter.publish(draft(calendar), Progress())

    assert server.paths.count(CONFIGURE) == 1
