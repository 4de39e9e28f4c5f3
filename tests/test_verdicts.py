"""One table of media and routing cases, three verdicts that must agree: ``jadwal check``,
the dry run and the real adapter (against the fake Graph API, or instagrapi's client with
its upload calls recorded). A post one of them refuses, all three refuse with the same
message, and the real adapter sends nothing; a post one of them accepts, all three accept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import responses
from instagrapi import Client
from PIL import Image

from scheduler import i18n
from scheduler.adapters import adapter_factory
from scheduler.adapters.base import Draft, Progress
from scheduler.adapters.dryrun import DryRunAdapter
from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter
from scheduler.adapters.instagrapi.session import save_session, session_path
from scheduler.calendar import Calendar, load_calendar
from scheduler.check import check_calendar
from scheduler.errors import Rejected
from scheduler.platforms.rules import (
    FB_RESUMABLE_MP4,
    NEEDS_PUBLIC_URL,
    NO_ROUTE,
    STAGING_NEEDS_PAGE,
)
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.helpers import real_mp4

TOKEN = "EAAGverdictTOKEN0123456789abcdef0123"
PAGE, IG = "1001", "17841"
AT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
CAPTION = "Info desa"

# How each kind of account gets its media: (account line, calendar's media section).
ROUTES = {
    "facebook": (f"{{platform: facebook, page_id: '{PAGE}', token: '${{TOKEN}}'}}", ""),
    "graph-public": (
        f"{{platform: instagram, ig_user_id: '{IG}', token: '${{TOKEN}}'}}",
        "media: {public_base_url: 'GRAPH/static'}\n",
    ),
    "graph-staged": (
        f"{{platform: instagram, ig_user_id: '{IG}', page_id: '{PAGE}', token: '${{TOKEN}}'}}",
        "media: {staging: facebook_page}\n",
    ),
    "graph-staged-no-page": (
        f"{{platform: instagram, ig_user_id: '{IG}', token: '${{TOKEN}}'}}",
        "media: {staging: facebook_page}\n",
    ),
    "graph-no-route": (f"{{platform: instagram, ig_user_id: '{IG}', token: '${{TOKEN}}'}}", ""),
    "instagrapi": ("{platform: instagram, via: instagrapi, username: desa.maju}", ""),
    "login-public": (
        "{platform: instagram, via: instagram_login, token: '${IGTOKEN}'}",
        "media: {public_base_url: 'GRAPH/static'}\n",
    ),
    "login-staged": (
        f"{{platform: instagram, via: instagram_login, page_id: '{PAGE}', token: '${{IGTOKEN}}'}}",
        "media: {staging: facebook_page}\n",
    ),
    "login-no-url": ("{platform: instagram, via: instagram_login, token: '${IGTOKEN}'}", ""),
    "facebook-resumable": (
        f"{{platform: facebook, page_id: '{PAGE}', token: '${{TOKEN}}', app_id: '${{APP}}', "
        "user_token: '${USERTOKEN}'}",
        "",
    ),
}
APP_ID, USER_TOKEN = "880001", "EAAGverdictUSER0123456789abcdef0123"
IG_LOGIN_TOKEN = "IGAAverdictTOKEN0123456789abcdef0123"


@dataclass(frozen=True)
class Case:
    id: str
    route: str
    kind: str
    media: tuple[str, ...]
    refusal: str | None  # what all three say, or None: all three publish it


PUBLIC_REFUSES = "Instagram fetches it as it is from media.public_base_url, so convert it"
CASES = [
    Case(
        "797x1000 from a public URL",
        "graph-public",
        "feed",
        ("tall.jpg",),
        f"media 'media/tall.jpg' has aspect ratio 797x1000 (allowed 4:5 to 1.91:1); "
        f"{PUBLIC_REFUSES}",
    ),
    Case("797x1000 staged (converted)", "graph-staged", "feed", ("tall.jpg",), None),
    Case("797x1000 through instagrapi (converted)", "instagrapi", "feed", ("tall.jpg",), None),
    Case("9:16 story from a public URL", "graph-public", "story", ("story.jpg",), None),
    Case("9:16 story staged", "graph-staged", "story", ("story.jpg",), None),
    Case("9:16 story through instagrapi", "instagrapi", "story", ("story.jpg",), None),
    Case(
        "PNG from a public URL",
        "graph-public",
        "feed",
        ("ucapan.png",),
        f"media 'media/ucapan.png' is PNG, not JPEG; {PUBLIC_REFUSES}",
    ),
    Case("PNG staged (converted)", "graph-staged", "feed", ("ucapan.png",), None),
    Case("PNG on Facebook (as it is)", "facebook", "feed", ("ucapan.png",), None),
    Case(
        ".mov in a carousel through instagrapi",
        "instagrapi",
        "feed",
        ("posyandu.jpg", "klip.mov"),
        "media 'media/klip.mov' is a .mov video; instagrapi takes only MP4 videos in a "
        "carousel, so convert it to MP4",
    ),
    Case(
        ".mov in a carousel from a public URL",
        "graph-public",
        "feed",
        ("posyandu.jpg", "klip.mov"),
        None,
    ),
    Case("reel from a public URL", "graph-public", "reel", ("klip.mp4",), None),
    Case("reel with only staging (resumable upload)", "graph-staged", "reel", ("klip.mp4",), None),
    Case(
        "reel without a media route (resumable upload)",
        "graph-no-route",
        "reel",
        ("klip.mp4",),
        None,
    ),
    Case(
        "video story without a media route (resumable upload)",
        "graph-no-route",
        "story",
        ("klip.mp4",),
        None,
    ),
    Case(
        "carousel with a video: images staged, the video by resumable upload",
        "graph-staged",
        "feed",
        ("posyandu.jpg", "klip.mp4"),
        None,
    ),
    Case(
        "reel with a cover and no media route (the cover is an image)",
        "graph-no-route",
        "reel",
        ("klip.mp4", "posyandu.jpg"),
        NO_ROUTE,
    ),
    Case("reel through instagrapi", "instagrapi", "reel", ("klip.mp4",), None),
    Case(
        "reel with two videos",
        "graph-public",
        "reel",
        ("klip.mp4", "klip.mov"),
        "a reel takes exactly one video (MP4 or MOV) and at most one image, its cover",
    ),
    Case(
        "Instagram post without media (Graph)",
        "graph-staged",
        "feed",
        (),
        "Instagram needs an image or a video; add media",
    ),
    Case(
        "Instagram post without media (instagrapi)",
        "instagrapi",
        "feed",
        (),
        "Instagram needs an image or a video; add media",
    ),
    Case(
        "staging without the Page",
        "graph-staged-no-page",
        "feed",
        ("posyandu.jpg",),
        STAGING_NEEDS_PAGE,
    ),
    Case("Graph without a media route", "graph-no-route", "feed", ("posyandu.jpg",), NO_ROUTE),
    Case("image through Instagram Login", "login-public", "feed", ("posyandu.jpg",), None),
    Case("reel through Instagram Login", "login-public", "reel", ("klip.mp4",), None),
    Case(
        "PNG through Instagram Login",
        "login-public",
        "feed",
        ("ucapan.png",),
        f"media 'media/ucapan.png' is PNG, not JPEG; {PUBLIC_REFUSES}",
    ),
    Case(
        "reel through Instagram Login without a public URL (no resumable upload)",
        "login-no-url",
        "reel",
        ("klip.mp4",),
        NEEDS_PUBLIC_URL,
    ),
    Case("Page video", "facebook", "feed", ("klip.mp4",), None),
    Case("Page video as MOV", "facebook", "feed", ("klip.mov",), None),
    Case(
        "Page video by the Resumable Upload API", "facebook-resumable", "feed", ("klip.mp4",), None
    ),
    Case(
        "Page video as MOV by the Resumable Upload API (MP4 only)",
        "facebook-resumable",
        "feed",
        ("klip.mov",),
        FB_RESUMABLE_MP4.format(name="media/klip.mov"),
    ),
    Case(
        "image through Instagram Login with only staging (no Page to stage on)",
        "login-staged",
        "feed",
        ("posyandu.jpg",),
        NEEDS_PUBLIC_URL,
    ),
]


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.0).start()
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG])
    fake.add_instagram_token(IG_LOGIN_TOKEN, IG, issued=AT - timedelta(days=2))
    fake.clock = lambda: AT
    monkeypatch.setenv("JADWAL_INSTAGRAM_URL", fake.instagram_url)
    monkeypatch.setenv("IGTOKEN", IG_LOGIN_TOKEN)
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("JADWAL_RUPLOAD_URL", fake.url)
    monkeypatch.setenv("TOKEN", TOKEN)
    fake.add_token(USER_TOKEN, kind="user")
    fake.add_app_role(APP_ID, USER_TOKEN)
    monkeypatch.setenv("APP", APP_ID)
    monkeypatch.setenv("USERTOKEN", USER_TOKEN)
    yield fake
    fake.stop()


def write_case(write_calendar: WriteCalendar, graph: FakeGraph, case: Case) -> Calendar:
    account, media = ROUTES[case.route]
    listed = f"    media: [{', '.join('media/' + m for m in case.media)}]\n" if case.media else ""
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n  acc: {account}\n"
        + media.replace("GRAPH", graph.url)
        + "rules: {min_posts_per_week: 0}\nposts:\n"
        f"  - id: p\n    accounts: [acc]\n    at: '2027-03-01 09:00'\n    kind: {case.kind}\n"
        f"    caption: {CAPTION}\n{listed}"
    )
    folder = path.parent / "media"
    Image.new("RGB", (797, 1000), "white").save(folder / "tall.jpg")
    Image.new("RGB", (1080, 1920), "white").save(folder / "story.jpg")
    # Real videos: the instagrapi adapter takes a reel's cover frame from it with ffmpeg.
    (folder / "klip.mp4").write_bytes(real_mp4(seconds=20))
    (folder / "klip.mov").write_bytes(real_mp4(seconds=20))
    for name in case.media:
        graph.serve_file(name, (folder / name).read_bytes())
    return load_calendar(path)


def draft(calendar: Calendar, case: Case) -> Draft:
    account = calendar.accounts["acc"]
    return Draft(
        key="p/acc/20270301T0200Z",
        post_id="p",
        account="acc",
        platform=account.platform,
        at=AT,
        caption=CAPTION,
        media=tuple(calendar.folder / "media" / m for m in case.media),
        kind=case.kind,  # type: ignore[arg-type]
    )


def check_verdict(calendar: Calendar) -> str | None:
    errors = [p.message for p in check_calendar(calendar.path, date(2027, 2, 1)) if p.is_error]
    assert len(errors) <= 1, errors
    return errors[0] if errors else None


def dry_run_verdict(calendar: Calendar, case: Case) -> str | None:
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["acc"]
    )
    try:
        adapter.publish(draft(calendar, case), Progress())
    except Rejected as exc:
        return exc.message
    assert adapter.path_for(draft(calendar, case)).exists()
    return None


def real_verdict(calendar: Calendar, case: Case, graph: FakeGraph) -> str | None:
    account = calendar.accounts["acc"]
    if account.via == "instagrapi":
        return instagrapi_verdict(calendar, case)
    adapter = adapter_factory(calendar, None)(account)
    try:
        adapter.publish(draft(calendar, case), Progress())
    except Rejected as exc:
        assert graph.posts == []
        assert graph.requests == []  # nothing was asked of the platform, let alone sent
        return exc.message
    assert len(graph.posts) == 1
    return None


def instagrapi_verdict(calendar: Calendar, case: Case) -> str | None:
    """instagrapi's real client on a saved session; its upload calls are recorded, and any
    request that reaches the network fails the test (nothing is registered)."""
    calls: list[tuple[str, Any]] = []

    def recorder(name: str) -> Any:
        def upload(path: Any, caption: str, **_: Any) -> Any:
            calls.append((name, path))
            return type("Media", (), {"pk": "7", "id": "7_1", "code": "C7"})()

        return upload

    def factory() -> Client:
        client = Client(with_challenge_flow=False)
        for name in ("photo_upload", "album_upload", "clip_upload", "photo_upload_to_story"):
            setattr(client, name, recorder(name))
        return client

    signed_in = Client(private_transport="requests")
    signed_in.authorization_data = {"ds_user_id": "42", "sessionid": "42%3Aabcdefgh%3A1"}
    save_session(signed_in, session_path(calendar.accounts["acc"]))
    adapter = InstagrapiAdapter(calendar, calendar.accounts["acc"], client_factory=factory)
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        try:
            adapter.publish(draft(calendar, case), Progress())
        except Rejected as exc:
            assert calls == []
            return exc.message
    assert len(calls) == 1
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_dry_run_and_the_real_adapter_agree(
    case: Case,
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path_factory.mktemp("sessions")))
    calendar = write_case(write_calendar, graph, case)

    found = check_verdict(calendar)
    if case.refusal is None:
        assert found is None
    else:
        assert found is not None and found.endswith(case.refusal), found
    assert dry_run_verdict(calendar, case) == case.refusal
    assert real_verdict(calendar, case, graph) == case.refusal


def test_the_dry_run_says_how_each_file_travels_and_converts_as_the_real_run_would(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    carousel = Case("staged carousel", "graph-staged", "feed", ("ucapan.png", "posyandu.jpg"), None)
    calendar = write_case(write_calendar, graph, carousel)
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["acc"]
    )
    adapter.publish(draft(calendar, carousel), Progress())

    written = adapter.path_for(draft(calendar, carousel)).read_text()
    assert "shape:    a carousel\n" in written
    (png,) = [line for line in written.splitlines() if line.startswith("  - media/ucapan.png")]
    assert png.startswith(
        "  - media/ucapan.png: staged on the Page 1001, converted for instagram: "
    )
    converted = calendar.folder / png.rsplit(": ", 1)[1]
    with Image.open(converted) as image:
        assert (image.format, image.size) == ("JPEG", (1080, 1080))
    assert "  - media/posyandu.jpg: staged on the Page 1001\n" in written


def test_the_dry_run_writes_its_lines_in_indonesian(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    carousel = Case("staged carousel", "graph-staged", "feed", ("ucapan.png", "posyandu.jpg"), None)
    calendar = write_case(write_calendar, graph, carousel)
    i18n.set_language("id")  # the suite's conftest speaks English again after the test
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["acc"]
    )
    the_draft = draft(calendar, carousel)
    adapter.publish(the_draft, Progress())

    lines = adapter.path_for(the_draft).read_text().splitlines()
    converted = lines[5].rsplit(": ", 1)[1]
    assert lines[:7] == [
        "akun:    acc (instagram, feed)",
        f"waktu:   {the_draft.at.isoformat()}",
        f"kunci:   {the_draft.key}",
        "bentuk:  carousel",
        "media:",
        f"  - media/ucapan.png: dititipkan di Halaman 1001, diubah untuk instagram: {converted}",
        "  - media/posyandu.jpg: dititipkan di Halaman 1001",
    ]


def test_a_staged_story_keeps_its_9_16_shape(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    story = Case("staged story", "graph-staged", "story", ("story.jpg",), None)
    calendar = write_case(write_calendar, graph, story)
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["acc"]
    )
    adapter.publish(draft(calendar, story), Progress())

    # Not framed for the feed (4:5, with bars): the file goes as it is.
    assert (
        "  - media/story.jpg: staged on the Page 1001\n"
        in adapter.path_for(draft(calendar, story)).read_text()
    )
