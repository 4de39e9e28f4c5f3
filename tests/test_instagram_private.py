"""The instagrapi adapter through instagrapi's own request code, with ``responses`` standing in
for Instagram.

The saved session files are made by instagrapi itself (``Client.get_settings()`` of a client
with ``private_transport="requests"``); loading one switches the client to the plain requests
transport, which ``responses`` intercepts. The default curl transport is never exercised here.

Some tests replace ``Client.login`` (Instagram's Bloks sign-in flow, impractically deep for
a fake server) through ``client_factory``: the jadwal-login tests that sign in with a
password, ``test_login_saves_a_private_session_without_the_password``,
``test_login_asks_for_the_password_when_no_secret_is_set``,
``test_a_failed_login_names_no_secret`` and
``test_login_replaces_a_saved_session_of_another_account``.

Videos (``clip_upload``, ``video_upload_to_story``, ``album_upload``) run instagrapi's real
code with a real MP4 in ``test_instagrapi_video``; the default curl transport is exercised in
``test_instagrapi_curl``.

Everything else, including ``test_login_reuses_a_session_that_still_works``, goes through
instagrapi's real code down to the HTTP requests.
"""

from __future__ import annotations

import base64
import builtins
import json
import logging
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from instagrapi import Client
from instagrapi.exceptions import BadPassword, TwoFactorRequired

from scheduler.adapters.base import Draft, Lookup, Progress, Published
from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter
from scheduler.adapters.instagrapi.login import login_account
from scheduler.adapters.instagrapi.session import save_session, session_path
from scheduler.adapters.metrics import Metrics, Target
from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.errors import (
    AuthError,
    ClaimLost,
    JadwalError,
    OutcomeUnknown,
    PublishError,
    Rejected,
    Throttled,
    Transient,
)
from tests.conftest import WriteCalendar

API = "https://i.instagram.com/api/v1/"
USER_ID = "4242"
SESSIONID = f"{USER_ID}%3AsEsIdRaHaSiA0123456789%3A12%3AAYdummy-session-value"
PASSWORD = "kata-sandi-RAHASIA-2027"
CAPTION = "Posyandu Melati buka Sabtu pukul 08.00. #DesaMaju"
AT = datetime(2027, 3, 6, 8, 0, tzinfo=UTC)

CALENDAR = """
version: 1
timezone: Asia/Jakarta
accounts:
  desa-ig:
    platform: instagram
    via: instagrapi
    username: desa.maju
    password: "${IG_DESA_PASSWORD}"
rules: {min_posts_per_week: 0}
posts: []
"""

FEED = re.compile(re.escape(f"{API}feed/user/{USER_ID}/") + r"(\?.*)?$")
STORIES = re.compile(re.escape(f"{API}feed/user/{USER_ID}/story/") + r"(\?.*)?$")
RUPLOAD = re.compile(r"https://i\.instagram\.com/rupload_igphoto/.+")
CONFIGURE = f"{API}media/configure/"
CURRENT_USER = f"{API}accounts/current_user/?edit=true"

CHALLENGE = {
    "message": "challenge_required",
    "challenge": {
        "url": "https://i.instagram.com/challenge/4242/AbCdEf/",
        "api_path": "/challenge/4242/AbCdEf/",
        "hide_webview_header": True,
        "lock": True,
        "logout": False,
        "native_flow": True,
    },
    "status": "fail",
    "error_type": "checkpoint_challenge_required",
}
FEEDBACK = {
    "message": "feedback_required",
    "spam": True,
    "feedback_title": "Try Again Later",
    "feedback_message": "We restrict certain activity to protect our community.",
    "feedback_action": "report_problem",
    "status": "fail",
}


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """instagrapi sleeps before every request and between configure attempts."""
    monkeypatch.setattr("time.sleep", lambda _seconds: None)


@pytest.fixture(autouse=True)
def _no_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """A daemon has no terminal: any input() call is a bug (it would block forever)."""

    def refuse(*_: object) -> str:
        raise AssertionError("input() was called")

    monkeypatch.setattr(builtins, "input", refuse)


@pytest.fixture
def sessions(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("sessions")  # outside the calendar folder, as in real use
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(folder))
    return folder


@pytest.fixture
def calendar(write_calendar: WriteCalendar) -> Calendar:
    return load_calendar(write_calendar(CALENDAR))


@pytest.fixture
def saved_session(calendar: Calendar, sessions: Path) -> Path:
    """A signed-in session file as instagrapi dumps it, written the way jadwal login does."""
    client = Client(private_transport="requests")
    client.authorization_data = {
        "ds_user_id": USER_ID,
        "sessionid": SESSIONID,
        "should_use_header_over_cookies": True,
    }
    path = session_path(calendar.accounts["desa-ig"])
    save_session(client, path)
    return path


@pytest.fixture
def instagram() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def adapter(calendar: Calendar, saved_session: Path) -> InstagrapiAdapter:
    return InstagrapiAdapter(calendar, calendar.accounts["desa-ig"])


def draft(calendar: Calendar, *media: str, kind: str = "feed", caption: str = CAPTION) -> Draft:
    return Draft(
        key="posyandu@desa-ig@2027-03-06T08:00",
        post_id="posyandu",
        account="desa-ig",
        platform="instagram",
        at=AT,
        caption=caption,
        media=tuple(calendar.folder / "media" / m for m in media or ("posyandu.jpg",)),
        kind=kind,
    )


def media_item(
    pk: str, code: str, caption: str, taken_at: datetime, **extra: Any
) -> dict[str, Any]:
    """A feed item as the private API returns it (the fields instagrapi's extractor needs)."""
    return {
        "pk": pk,
        "id": f"{pk}_{USER_ID}",
        "code": code,
        "taken_at": int(taken_at.timestamp()),
        "media_type": 1,
        "caption": {"text": caption},
        "user": {"pk": USER_ID, "username": "desa.maju"},
        "like_count": 0,
        "image_versions2": {
            "candidates": [{"url": "https://example.com/p.jpg", "width": 1080, "height": 1080}]
        },
        **extra,
    }


def feed(*items: dict[str, Any], more: bool = False, next_max_id: str = "") -> dict[str, Any]:
    page = {"items": list(items), "num_results": len(items), "more_available": more}
    return page | ({"next_max_id": next_max_id} if next_max_id else {}) | {"status": "ok"}


def uploads_ok(instagram: responses.RequestsMock) -> None:
    """The feed read before uploading (instagrapi's own check) and the photo upload."""
    instagram.add(responses.GET, FEED, json=feed())
    instagram.add(responses.POST, RUPLOAD, json={"upload_id": "1", "status": "ok"})


def configure_calls(instagram: responses.RequestsMock) -> list[Any]:
    return [c for c in instagram.calls if "/media/configure" in str(c.request.url)]


def sent_form(call: Any) -> dict[str, Any]:
    """The JSON instagrapi signs into ``signed_body=SIGNATURE.{json}``."""
    body = call.request.body
    text = body.decode() if isinstance(body, bytes) else str(body)
    signed = parse_qs(text)["signed_body"][0]
    return dict(json.loads(signed.split(".", 1)[1]))


# -- publish -------------------------------------------------------------------------------


def test_configure_is_not_sent_once_the_claim_is_lost(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)

    def lost() -> None:
        raise ClaimLost("posyandu@desa-ig@2027-03-06T08:00")

    with pytest.raises(ClaimLost):
        adapter.publish(draft(calendar), Progress(confirm=lost))

    assert configure_calls(instagram) == []


def test_photo_upload_returns_the_permalink(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    saved_session: Path,
) -> None:
    uploads_ok(instagram)
    posted = media_item("3301234567890123456", "DAbC123xYz", CAPTION, AT)
    instagram.add(responses.POST, CONFIGURE, json={"media": posted, "status": "ok"})

    published = adapter.publish(draft(calendar), Progress())

    assert published == Published("3301234567890123456", "https://www.instagram.com/p/DAbC123xYz/")
    [configure] = configure_calls(instagram)
    assert sent_form(configure)["caption"] == CAPTION
    assert configure.request.headers["Authorization"].startswith("Bearer IGT:2:")
    # The refreshed settings are written back, still readable only by the owner.
    assert stat.S_IMODE(saved_session.stat().st_mode) == 0o600
    assert json.loads(saved_session.read_text())["authorization_data"]["ds_user_id"] == USER_ID


def test_several_images_go_out_as_one_album(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)
    album = media_item("3309999999999999999", "DAlbum0001", CAPTION, AT, media_type=8)
    album.pop("image_versions2")
    instagram.add(
        responses.POST, f"{API}media/configure_sidecar/", json={"media": album, "status": "ok"}
    )

    published = adapter.publish(draft(calendar, "sop-ktp-1.jpg", "sop-ktp-2.jpg"), Progress())

    assert published.permalink == "https://www.instagram.com/p/DAlbum0001/"
    assert sum("rupload_igphoto" in str(c.request.url) for c in instagram.calls) == 2
    [configure] = configure_calls(instagram)
    assert len(sent_form(configure)["children_metadata"]) == 2


def test_a_challenge_pauses_the_account_without_asking_for_input(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, status=400, json=CHALLENGE)

    with pytest.raises(AuthError) as caught:
        adapter.publish(draft(calendar), Progress())

    assert "run 'jadwal login desa-ig'" in caught.value.message
    assert type(caught.value.__cause__).__name__ == "ChallengeRequired"
    assert len(configure_calls(instagram)) == 1  # no second attempt
    assert not [c for c in instagram.calls if "/challenge/" in str(c.request.url)]


def test_feedback_required_waits_hours(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, status=400, json=FEEDBACK)

    with pytest.raises(Throttled) as caught:
        adapter.publish(draft(calendar), Progress())

    assert caught.value.retry_after >= timedelta(hours=1)
    assert "We restrict certain activity" in caught.value.message
    assert type(caught.value.__cause__).__name__ == "FeedbackRequired"


def test_a_rate_limit_waits_hours(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, status=429, json={"status": "fail", "message": ""})

    with pytest.raises(Throttled) as caught:
        adapter.publish(draft(calendar), Progress())

    assert caught.value.retry_after >= timedelta(hours=1)
    assert len(configure_calls(instagram)) == 1  # the POST was not retried by the transport


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"body": requests.ConnectionError("connection reset")}, id="lost-answer"),
        pytest.param({"body": requests.ReadTimeout("read timed out")}, id="timeout"),
        pytest.param({"status": 502, "body": "<html>Bad Gateway</html>"}, id="bad-gateway"),
        pytest.param({"json": {"status": "ok"}}, id="configured-without-media"),
    ],
)
def test_configure_failing_after_the_upload_is_an_unknown_outcome(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    answer: dict[str, Any],
) -> None:
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, **answer)

    with pytest.raises(OutcomeUnknown) as caught:
        adapter.publish(draft(calendar), Progress())

    assert "may have published it" in caught.value.message
    assert "checked" in caught.value.message
    assert caught.value.__cause__ is not None
    assert len(configure_calls(instagram)) == 1  # never re-sent


RESENT = (
    "Instagram did not confirm the post for desa-ig after the upload ({first}; jadwal sends "
    "the publishing request only once). Instagram may have published it; it will be checked "
    "before anything is sent again"
)


@pytest.mark.parametrize(
    ("answer", "first"),
    [
        pytest.param(
            {"body": requests.exceptions.ChunkedEncodingError("Connection broken")},
            "its answer was lost: ChunkedEncodingError",
            id="answer-cut-off",  # instagrapi: ClientIncompleteReadError, re-sent after 2 s
        ),
        pytest.param(
            {"status": 408, "body": "Request Timeout"},
            "Instagram answered HTTP 408",
            id="request-timeout",  # instagrapi: ClientRequestTimeout, re-sent after 60 s
        ),
    ],
)
def test_instagrapi_never_sends_configure_twice_for_one_claim(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    answer: dict[str, Any],
    first: str,
) -> None:
    """instagrapi's private_request re-sends these itself; the first may have published."""
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, **answer)
    posted = media_item("3301234567890123456", "DAbC123xYz", CAPTION, AT)
    instagram.add(responses.POST, CONFIGURE, json={"media": posted, "status": "ok"})

    with pytest.raises(OutcomeUnknown) as caught:
        adapter.publish(draft(calendar), Progress())

    assert caught.value.message == RESENT.format(first=first)
    assert len(configure_calls(instagram)) == 1


def test_the_next_publication_sends_its_own_configure(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    """Once per claim, not once per client: the adapter keeps its client between posts."""
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, status=408, body="Request Timeout")
    with pytest.raises(OutcomeUnknown):
        adapter.publish(draft(calendar), Progress())
    posted = media_item("3301234567890123456", "DAbC123xYz", CAPTION, AT)
    instagram.replace(responses.POST, CONFIGURE, json={"media": posted, "status": "ok"})

    assert adapter.publish(draft(calendar), Progress()).platform_post_id == "3301234567890123456"
    assert len(configure_calls(instagram)) == 2


def test_a_failed_upload_is_transient_and_never_configures(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    instagram.add(responses.GET, FEED, json=feed())
    instagram.add(responses.POST, RUPLOAD, body=requests.ConnectionError("network unreachable"))
    instagram.add(responses.POST, CONFIGURE, json={"status": "ok"})

    with pytest.raises(Transient) as caught:
        adapter.publish(draft(calendar), Progress())

    assert not isinstance(caught.value, OutcomeUnknown | Throttled)
    assert configure_calls(instagram) == []


def test_a_refused_post_is_rejected_with_instagrams_reason(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)
    refusal = {"status": "fail", "message": "Uploaded image isn't in an allowed aspect ratio"}
    instagram.add(responses.POST, CONFIGURE, json=refusal)

    with pytest.raises(Rejected) as caught:
        adapter.publish(draft(calendar), Progress())

    assert "allowed aspect ratio" in caught.value.message


def test_an_expired_session_pauses_the_account(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    uploads_ok(instagram)
    expired = {"message": "login_required", "logout_reason": 3, "status": "fail"}
    instagram.add(responses.POST, CONFIGURE, status=403, json=expired)

    with pytest.raises(AuthError) as caught:
        adapter.publish(draft(calendar), Progress())

    assert "run 'jadwal login desa-ig'" in caught.value.message
    # No fresh password login from the daemon: nothing but the configure was posted.
    assert not [c for c in instagram.calls if "login" in str(c.request.url)]


def test_a_missing_session_is_an_auth_error(calendar: Calendar, sessions: Path) -> None:
    adapter = InstagrapiAdapter(calendar, calendar.accounts["desa-ig"])

    with pytest.raises(AuthError) as caught:
        adapter.publish(draft(calendar), Progress())

    assert caught.value.message == "no saved session for desa-ig: run 'jadwal login desa-ig'"
    [result] = adapter.check()
    assert (result.item, result.ok) == ("session", False)
    assert "jadwal login desa-ig" in result.detail


def test_an_unreadable_session_is_an_auth_error(calendar: Calendar, saved_session: Path) -> None:
    saved_session.write_text('{"cookies": {"sessionid": "' + SESSIONID + '"')  # cut short

    with pytest.raises(AuthError) as caught:
        InstagrapiAdapter(calendar, calendar.accounts["desa-ig"]).publish(
            draft(calendar), Progress()
        )

    assert "jadwal login desa-ig" in caught.value.message
    assert SESSIONID not in str(caught.value)


# -- find ----------------------------------------------------------------------------------


def test_find_locates_the_post_by_caption(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    newer = media_item("3302", "DNewer0002", "Kerja bakti Minggu", AT + timedelta(hours=3))
    ours = media_item("3301", "DOurs00001", f"  {CAPTION}\n", AT + timedelta(minutes=2))
    instagram.add(responses.GET, FEED, json=feed(newer, ours, more=True))

    lookup = adapter.find(draft(calendar), None)

    assert lookup.state == "published"
    assert lookup.published == Published("3301", "https://www.instagram.com/p/DOurs00001/")


def test_find_ignores_an_older_post_with_the_same_caption(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    last_week = media_item("3200", "DLastWeek1", CAPTION, AT - timedelta(days=7))
    instagram.add(responses.GET, FEED, json=feed(last_week, more=True))

    assert adapter.find(draft(calendar), None).state == "not_published"


def test_find_is_unknown_when_the_feed_does_not_reach_back_far_enough(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    recent = [
        media_item(str(4000 + n), f"DRecent{n:03d}", f"post {n}", AT + timedelta(hours=n + 1))
        for n in range(20)
    ]
    pinned = media_item(
        "1000",
        "DPinned001",
        "Profil desa",
        AT - timedelta(days=400),
        timeline_pinned_user_ids=[4242],
    )
    instagram.add(responses.GET, FEED, json=feed(pinned, *recent, more=True))

    assert adapter.find(draft(calendar), None).state == "unknown"


def newer_posts(page: int) -> list[dict[str, Any]]:
    """A page of 20 posts by others, all after the draft's time."""
    return [
        media_item(
            f"{page}{n:03d}", f"DP{page}N{n:03d}", f"post {page}/{n}", AT + timedelta(days=page)
        )
        for n in range(20)
    ]


def test_find_reads_further_pages_until_it_finds_the_post(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    ours = media_item("3301", "DOurs00001", CAPTION, AT + timedelta(minutes=2))
    instagram.add(responses.GET, FEED, json=feed(*newer_posts(2), more=True, next_max_id="p2"))
    instagram.add(responses.GET, FEED, json=feed(*newer_posts(1), more=True, next_max_id="p3"))
    instagram.add(responses.GET, FEED, json=feed(ours, more=True, next_max_id="p4"))

    lookup = adapter.find(draft(calendar), None)

    assert lookup.published == Published("3301", "https://www.instagram.com/p/DOurs00001/")
    asked = [parse_qs(urlsplit(str(c.request.url)).query) for c in instagram.calls]
    assert [q.get("max_id") for q in asked] == [None, ["p2"], ["p3"]]


def test_find_stops_after_five_pages_and_says_so(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    for page in range(6):
        instagram.add(
            responses.GET, FEED, json=feed(*newer_posts(page + 1), more=True, next_max_id="n")
        )

    lookup = adapter.find(draft(calendar), None)

    assert lookup == Lookup(
        "unknown", detail="not among the 100 most recent posts; older ones not read"
    )
    assert len(instagram.calls) == 5


def test_find_raises_instead_of_guessing_when_instagram_is_unreachable(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    instagram.add(responses.GET, FEED, body=requests.ConnectionError("no route to host"))

    with pytest.raises(Transient):
        adapter.find(draft(calendar), None)


def test_find_a_story_checks_for_stories_since_the_planned_time(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    planned = datetime.now(UTC) - timedelta(hours=1)
    story = replace(draft(calendar, kind="story"), at=planned)
    instagram.add(responses.GET, STORIES, json={"reel": None, "status": "ok"})
    assert adapter.find(story, None).state == "not_published"

    # Stories have no caption to match: one posted since then could be ours or by hand.
    item = media_item("5501", "DStory0001", "", planned + timedelta(minutes=1))
    instagram.replace(responses.GET, STORIES, json={"reel": {"items": [item]}, "status": "ok"})
    assert adapter.find(story, None).state == "unknown"


# -- check ---------------------------------------------------------------------------------


def test_check_reports_a_working_session(
    adapter: InstagrapiAdapter, instagram: responses.RequestsMock
) -> None:
    instagram.add(responses.GET, CURRENT_USER, json={"user": current_user(), "status": "ok"})

    results = adapter.check()

    assert [r.item for r in results] == ["session", "session location", "login"]
    assert all(r.ok for r in results), results
    assert results[-1].detail == "signed in as @desa.maju"


def test_check_says_what_to_fix(
    adapter: InstagrapiAdapter, saved_session: Path, instagram: responses.RequestsMock
) -> None:
    saved_session.chmod(0o644)
    instagram.add(responses.GET, CURRENT_USER, status=400, json=CHALLENGE)

    results = {r.item: r for r in adapter.check()}

    assert not results["session"].ok and "chmod 600" in results["session"].detail
    assert not results["login"].ok and "jadwal login desa-ig" in results["login"].detail


def current_user() -> dict[str, Any]:
    return {
        "pk": int(USER_ID),
        "username": "desa.maju",
        "full_name": "Desa Maju",
        "is_private": False,
        "profile_pic_url": "https://example.com/profile.jpg",
        "is_verified": False,
        "is_business": True,
        "biography": "Akun resmi Pemerintah Desa Maju",
    }


# -- jadwal login --------------------------------------------------------------------------


class Prompts:
    """Answers the CLI's prompts and records what was asked."""

    def __init__(self, **answers: str) -> None:
        self.answers = answers
        self.asked: list[tuple[str, bool]] = []

    def __call__(self, text: str, hide: bool = False) -> str:
        self.asked.append((text, hide))
        if text.startswith("Password"):
            return self.answers["password"]
        return self.answers["code"]


def two_factor_client(logins: list[dict[str, str]]) -> Callable[[], Client]:
    """A real Client whose ``login`` (Instagram's Bloks flow) is replaced: the first call
    asks for a two-factor code, the second signs in as instagrapi's login would."""

    def factory() -> Client:
        client = Client(private_transport="requests")

        def login(
            username: str, password: str, relogin: bool = False, verification_code: str = ""
        ) -> bool:
            logins.append({"username": username, "code": verification_code})
            client.username, client.password = username, password  # as instagrapi keeps them
            if not verification_code:
                raise TwoFactorRequired("Two-factor authentication required")
            client.authorization_data = {"ds_user_id": USER_ID, "sessionid": SESSIONID}
            return True

        client.login = login
        return client

    return factory


def test_login_saves_a_private_session_without_the_password(
    calendar: Calendar, sessions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IG_DESA_PASSWORD", PASSWORD)
    prompts = Prompts(code="123456")
    logins: list[dict[str, str]] = []

    path = login_account(
        calendar, calendar.accounts["desa-ig"], prompts, client_factory=two_factor_client(logins)
    )

    assert path == sessions / "desa-ig.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert prompts.asked == [("Two-factor code: ", False)]  # the password came from the secret
    assert logins == [
        {"username": "desa.maju", "code": ""},
        {"username": "desa.maju", "code": "123456"},
    ]
    text = path.read_text()
    assert PASSWORD not in text
    assert json.loads(text)["authorization_data"]["ds_user_id"] == USER_ID


def test_login_asks_for_the_password_when_no_secret_is_set(
    calendar: Calendar, tmp_path: Path
) -> None:
    prompts = Prompts(password=PASSWORD, code="654321")
    logins: list[dict[str, str]] = []

    path = login_account(
        calendar,
        calendar.accounts["desa-ig"],
        prompts,
        session_dir=tmp_path / "fresh" / "sessions",
        client_factory=two_factor_client(logins),
    )

    assert prompts.asked == [("Password: ", True), ("Two-factor code: ", False)]
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert PASSWORD not in path.read_text()


def test_login_reuses_a_session_that_still_works(
    calendar: Calendar,
    saved_session: Path,
    instagram: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real instagrapi: the saved session is checked with account_info, no password sent."""
    monkeypatch.setenv("IG_DESA_PASSWORD", PASSWORD)
    instagram.add(responses.GET, CURRENT_USER, json={"user": current_user(), "status": "ok"})

    path = login_account(calendar, calendar.accounts["desa-ig"], Prompts())

    assert path == saved_session
    assert [c.request.method for c in instagram.calls] == ["GET"]
    assert PASSWORD not in path.read_text()


# -- secrets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 400, "json": CHALLENGE},
        {"status": 400, "json": FEEDBACK},
        {"status": 403, "json": {"message": "login_required", "status": "fail"}},
        {"body": requests.ConnectionError(f"reset while sending sessionid={SESSIONID}")},
        {"status": 500, "body": f"upstream echoed sessionid={SESSIONID}"},
        {"json": {"status": "fail", "message": f"bad request (sessionid {SESSIONID})"}},
    ],
)
def test_secrets_never_reach_messages_or_logs(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    answer: dict[str, Any],
) -> None:
    monkeypatch.setenv("IG_DESA_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)
    uploads_ok(instagram)
    instagram.add(responses.POST, CONFIGURE, **answer)

    with pytest.raises(PublishError) as caught:
        adapter.publish(draft(calendar), Progress())

    for secret in (PASSWORD, SESSIONID):
        assert secret not in str(caught.value)
        assert secret not in caught.value.describe()
        assert secret not in caplog.text


def test_a_failed_login_names_no_secret(
    calendar: Calendar, sessions: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def factory() -> Client:
        client = Client(private_transport="requests")

        def login(username: str, password: str, **_: object) -> bool:
            raise BadPassword(f"The password you entered ({password}) is incorrect.")

        client.login = login
        return client

    with pytest.raises(JadwalError) as caught:
        login_account(
            calendar,
            calendar.accounts["desa-ig"],
            Prompts(password=PASSWORD),
            client_factory=factory,
        )

    assert "Check the password" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in caplog.text
    assert not (sessions / "desa-ig.json").exists()


def test_login_replaces_a_saved_session_of_another_account(
    calendar: Calendar,
    saved_session: Path,
    instagram: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IG_DESA_PASSWORD", PASSWORD)
    someone_else = {**current_user(), "username": "orang.lain"}
    instagram.add(responses.GET, CURRENT_USER, json={"user": someone_else, "status": "ok"})
    relogins: list[bool] = []

    def factory() -> Client:
        client = Client(with_challenge_flow=False)

        def login(username: str, password: str, relogin: bool = False, **_: object) -> bool:
            relogins.append(relogin)
            return True

        client.login = login
        return client

    login_account(calendar, calendar.accounts["desa-ig"], Prompts(), client_factory=factory)

    assert relogins == [True]  # instagrapi's login() alone would have kept @orang.lain


def test_a_running_daemon_picks_up_a_new_login(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    saved_session: Path,
    instagram: responses.RequestsMock,
) -> None:
    """The daemon keeps its adapters: after 'jadwal login' it must use the new session (and
    never write the expired one back over it)."""
    uploads_ok(instagram)
    expired = {"message": "login_required", "status": "fail"}
    posted = media_item("3301", "DAfterLogin", CAPTION, AT)
    instagram.add(responses.POST, CONFIGURE, status=403, json=expired)
    instagram.add(responses.POST, CONFIGURE, json={"media": posted, "status": "ok"})
    with pytest.raises(AuthError):
        adapter.publish(draft(calendar), Progress())

    fresh = Client(private_transport="requests")
    fresh.authorization_data = {"ds_user_id": USER_ID, "sessionid": SESSIONID + "-new"}
    save_session(fresh, saved_session)  # what 'jadwal login desa-ig' does
    adapter.publish(draft(calendar), Progress())

    header = configure_calls(instagram)[-1].request.headers["Authorization"]
    sent = json.loads(base64.b64decode(header.rsplit(":", 1)[-1]))
    assert sent["sessionid"] == SESSIONID + "-new"
    assert json.loads(saved_session.read_text())["authorization_data"]["sessionid"].endswith("-new")


def test_check_names_no_exception_class(
    adapter: InstagrapiAdapter, instagram: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Odd(Exception):
        pass

    def broken() -> None:
        raise Odd("internal detail")

    monkeypatch.setattr(adapter, "client", broken)

    results = {r.item: r for r in adapter.check()}

    assert results["login"].detail == "Instagram answered unexpectedly: try again later"


# -- what instagrapi takes: it goes by the file's name ---------------------------------------

STORY_CONFIGURE = f"{API}media/configure_to_story/"


def story_ok(instagram: responses.RequestsMock) -> None:
    instagram.add(responses.GET, STORIES, json={"items": [], "status": "ok"})
    instagram.add(responses.POST, RUPLOAD, json={"upload_id": "1", "status": "ok"})
    story = media_item("91", "DStory91", CAPTION, AT)
    instagram.add(responses.POST, STORY_CONFIGURE, json={"media": story, "status": "ok"})


def sent_image_type(instagram: responses.RequestsMock) -> str:
    [upload] = [c for c in instagram.calls if "rupload_igphoto" in c.request.url]
    return str(upload.request.headers["X-Entity-Type"])


def story_image(calendar: Calendar, name: str, format: str) -> Path:
    from PIL import Image

    path = calendar.folder / "media" / name
    Image.new("RGB", (1080, 1920), "teal").save(path, format)
    return path


def test_a_story_image_instagrapi_would_refuse_by_its_name_is_converted(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    """photo_rupload takes only .jpg/.jpeg/.png/.webp names, whatever the file holds."""
    from scheduler.platforms.destination import Destination
    from scheduler.platforms.rules import plan

    path = story_image(calendar, "poster.jfif", "JPEG")
    story_ok(instagram)

    published = adapter.publish(draft(calendar, "poster.jfif", kind="story"), Progress())

    assert published.platform_post_id == "91"
    assert sent_image_type(instagram) == "image/jpeg"
    found = plan(Destination.of(calendar, adapter.account), "story", [path], CAPTION).findings
    assert [f.message for f in found] == [
        "media 'media/poster.jfif' is named .jfif, and instagrapi takes only .jpeg, .jpg, .png, "
        ".webp files; jadwal will convert it to a JPEG that fits before uploading"
    ]


def test_a_gif_story_is_converted_to_a_jpeg(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    story_image(calendar, "ucapan.gif", "GIF")
    story_ok(instagram)

    adapter.publish(draft(calendar, "ucapan.gif", kind="story"), Progress())

    assert sent_image_type(instagram) == "image/jpeg"


def test_a_webp_story_goes_as_it_is(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    story_image(calendar, "ucapan.webp", "WEBP")
    story_ok(instagram)

    adapter.publish(draft(calendar, "ucapan.webp", kind="story"), Progress())

    assert sent_image_type(instagram) == "image/webp"


def test_a_feed_jpeg_instagrapi_would_refuse_by_its_name_is_converted(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    """A JPEG the feed takes as it is, but named .jpe: album_upload would refuse it."""
    jpe = calendar.folder / "media" / "posyandu.jpe"
    jpe.write_bytes((calendar.folder / "media" / "posyandu.jpg").read_bytes())
    uploads_ok(instagram)
    album = media_item("92", "DAlbum92", CAPTION, AT, media_type=8)
    instagram.add(
        responses.POST, f"{API}media/configure_sidecar/", json={"media": album, "status": "ok"}
    )

    published = adapter.publish(draft(calendar, "posyandu.jpe", "kerja-bakti.jpg"), Progress())

    assert published.permalink == "https://www.instagram.com/p/DAlbum92/"


# -- insights (scheduler.adapters.instagrapi.insights) ---------------------------------

INFO = f"{API}users/{USER_ID}/info/"


def target(pk: str, kind: str = "feed") -> Target:
    return Target(f"{pk}/desa-ig", pk, kind, AT)


def test_the_feed_gives_likes_comments_and_views_and_nothing_is_guessed(
    adapter: InstagrapiAdapter, instagram: responses.RequestsMock
) -> None:
    photo = media_item("3301", "DPhoto0001", "Posyandu", AT, like_count=12, comment_count=3)
    video = media_item("3302", "DVideo0002", "Kerja bakti", AT, media_type=2, like_count=5,
                       comment_count=1, play_count=340)  # fmt: skip
    instagram.add(responses.GET, FEED, json=feed(video, photo))
    instagram.add(responses.GET, INFO, json={"user": {"pk": USER_ID, "follower_count": 777},
                                             "status": "ok"})  # fmt: skip

    readings = adapter.insights([target("3301"), target("3302"), target("3303", "story")], True)

    assert readings.posts == {
        "3301/desa-ig": Metrics(likes=12, comments=3),
        "3302/desa-ig": Metrics(views=340, likes=5, comments=1),
        "3303/desa-ig": Metrics(),  # no story figures through the private API
    }
    assert (readings.followers_read, readings.followers, readings.failed) == (True, 777, {})
    asked = [c.request.url for c in instagram.calls]
    assert sum(FEED.match(url) is not None for url in asked) == 1


def test_a_post_beyond_five_feed_pages_is_a_failed_read_not_a_guess(
    adapter: InstagrapiAdapter, instagram: responses.RequestsMock
) -> None:
    for page in range(6):
        items = [media_item(str(5000 + page * 2 + i), f"DNew{page}{i}", "x",
                            AT + timedelta(days=6 - page)) for i in range(2)]  # fmt: skip
        instagram.add(responses.GET, FEED, json=feed(*items, more=True, next_max_id=f"m{page}"))

    readings = adapter.insights([target("3301")], False)

    assert readings.posts == {} and list(readings.failed) == ["3301/desa-ig"]
    assert sum(FEED.match(c.request.url) is not None for c in instagram.calls) == 5
