"""``via: instagram_login``: publishing through the Instagram Login host of the fake Graph API,
the public-URL rule, and the token kept alive (refreshed when due, stored 0600, never shown)."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.adapters import adapter_factory
from scheduler.adapters.graph.igtoken import TokenKeeper
from scheduler.calendar import load_calendar
from scheduler.check import check_calendar
from scheduler.database import open_store
from scheduler.engine import Context, publish_due
from scheduler.platforms.rules import NEEDS_PUBLIC_URL
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.test_mediaprep import mp4

TOKEN = "IGAAcanaryLOGINtoken0123456789abcdef"
IG = "17842"
AT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.05).start()
    fake.add_instagram_token(TOKEN, IG, issued=AT - timedelta(days=1))
    fake.clock = lambda: AT
    monkeypatch.setenv("JADWAL_INSTAGRAM_URL", fake.instagram_url)
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)  # the Facebook host: must not be used
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    monkeypatch.setenv("IG_TOKEN", TOKEN)
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors


def calendar_text(graph: FakeGraph, posts: str, public: bool = True) -> str:
    media = f"media: {{public_base_url: '{graph.url}/static'}}\n" if public else ""
    return (
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  ig: {platform: instagram, via: instagram_login, token: '${IG_TOKEN}'}\n"
        f"{media}rules: {{min_posts_per_week: 0}}\nposts:\n{posts}"
    )


def post(post_id: str, media: str, kind: str = "feed") -> str:
    return (
        f"  - id: {post_id}\n    accounts: [ig]\n    at: '2027-03-01 09:00'\n"
        f"    kind: {kind}\n    caption: 'Info {post_id}'\n    media: [{media}]\n"
    )


def serve_media(graph: FakeGraph, folder: Path) -> None:
    for name in ("posyandu.jpg", "story.jpg", "film.mp4"):
        path = folder / "media" / name
        if path.exists():
            kind = "video/mp4" if name.endswith(".mp4") else "image/jpeg"
            graph.serve_file(name, path.read_bytes(), content_type=kind)


def run(path: Path, now: datetime = AT) -> Context:
    calendar = load_calendar(path)
    store = open_store(f"sqlite:///{path.parent / 'jadwal.db'}")
    ctx = Context(
        calendar=calendar, store=store, owner="t", adapter_for=adapter_factory(calendar, None)
    )
    ctx.clock = lambda: now
    publish_due(ctx, now)
    return ctx


def test_image_carousel_reel_and_story_go_out_through_the_instagram_host(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    folder = write_calendar("version: 1\n").parent
    mp4(folder / "media" / "film.mp4", seconds=20)
    serve_media(graph, folder)
    posts = (
        post("gambar", "media/posyandu.jpg")
        + post("album", "media/posyandu.jpg, media/posyandu.jpg")
        + post("film", "media/film.mp4", "reel")
        + post("cerita", "media/posyandu.jpg", "story")
    )
    ctx = run(write_calendar(calendar_text(graph, posts)))
    kinds = sorted(p["kind"] for p in graph.posts)
    assert kinds == ["ig_carousel", "ig_image", "ig_reel", "ig_story"]
    assert all(p["target"] == IG for p in graph.posts)
    assert all(q["path"].startswith("/instagram/") for q in graph.requests)
    assert not any("upload_type" in q["params"] for q in graph.requests)
    dumped = " ".join(str(row.model_dump()) for row in ctx.store.history())
    assert TOKEN not in dumped
    ctx.store.close()


def test_check_requires_a_public_url_and_says_why(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    path = write_calendar(calendar_text(graph, post("film", "media/posyandu.jpg"), public=False))
    errors = [str(p) for p in check_calendar(path) if "instagram_login takes" in str(p)]
    assert errors == [f"{path}:4:7: error: account 'ig': {NEEDS_PUBLIC_URL}"]
    assert NEEDS_PUBLIC_URL == (
        "via: instagram_login takes media only from a public URL: set media.public_base_url "
        "(where the media folder is served); it has no Facebook Page to stage images through, "
        "and Instagram's resumable upload is only for apps that use Facebook Login"
    )


def test_refresh_happens_when_due_only_and_survives_a_restart(
    graph: FakeGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    keeper = TokenKeeper("ig", TOKEN, graph.instagram_url)
    assert keeper.refresh_if_due(AT) is None  # first seen now: its age is not known
    assert keeper.refresh_if_due(AT + timedelta(hours=23)) is None
    later = AT + timedelta(hours=25)
    graph.clock = lambda: later
    kept = keeper.refresh_if_due(later)
    assert kept is not None and kept.failure is None
    assert kept.access_token != TOKEN
    assert kept.expires() == later + timedelta(days=60)
    assert graph.refreshes == 1
    # A restart: a new keeper with the calendar's old token uses the stored, newer one.
    again = TokenKeeper("ig", TOKEN, graph.instagram_url)
    assert again.token(later) == kept.access_token
    assert again.refresh_if_due(later + timedelta(days=2)) is None  # 58 days left
    due = later + timedelta(days=31)
    graph.clock = lambda: due
    assert again.refresh_if_due(due) is not None
    assert graph.refreshes == 2
    mode = stat.S_IMODE(keeper.path.stat().st_mode)
    assert mode == 0o600
    assert keeper.path.parent == tmp_path / "sessions"
    assert TOKEN not in caplog.text


def test_a_new_calendar_token_replaces_the_stored_line(graph: FakeGraph) -> None:
    later = AT + timedelta(hours=25)
    graph.clock = lambda: later
    keeper = TokenKeeper("ig", TOKEN, graph.instagram_url)
    keeper.refresh_if_due(AT)
    assert keeper.refresh_if_due(later) is not None
    fresh = "IGAAnewTOKENfromTheOffice0123456789"
    assert TokenKeeper("ig", fresh, graph.instagram_url).token(later) == fresh


def test_a_failed_refresh_is_kept_with_metas_message_and_tried_once_a_day(
    graph: FakeGraph,
) -> None:
    graph.fail_next(1, code=190, message="Error validating access token")
    keeper = TokenKeeper("ig", TOKEN, graph.instagram_url)
    assert keeper.refresh_if_due(AT) is None
    later = AT + timedelta(hours=25)
    kept = keeper.refresh_if_due(later)
    assert kept is not None
    assert kept.failure == "HTTP 400: Error validating access token"
    assert keeper.refresh_if_due(later + timedelta(hours=2)) is None


def test_tick_refreshes_the_token_when_due(graph: FakeGraph, write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(graph, ""))
    run(path, AT).store.close()
    assert graph.refreshes == 0
    later = AT + timedelta(hours=25)
    graph.clock = lambda: later
    run(path, later).store.close()
    assert graph.refreshes == 1


def test_accounts_check_reports_expiry_and_permissions(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    path = write_calendar(calendar_text(graph, ""))
    code = cli.run(["accounts", "check", "--calendar", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "expiry not known yet: jadwal refreshes the token 24 hours after it first used it" in out
    assert "@fake_17842" in out
    assert "granted: instagram_business_basic, instagram_business_content_publish" in out
    assert "missing instagram_business_manage_insights: posts go out without it" in out
    assert TOKEN not in out


def test_accounts_check_warns_before_expiry(graph: FakeGraph) -> None:
    from scheduler.adapters.graph.iglogin import expiry_text
    from scheduler.adapters.graph.igtoken import Kept

    kept = Kept("x", "y", AT.isoformat(), expires_at=(AT + timedelta(days=9)).isoformat())
    assert expiry_text(kept, AT) == "token expires in 9 days, on 2027-03-10"


def test_a_lost_publish_answer_is_settled_from_the_container_never_resent(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    folder = write_calendar("version: 1\n").parent
    serve_media(graph, folder)
    path = write_calendar(calendar_text(graph, post("gambar", "media/posyandu.jpg")))
    graph.drop_after_accept_next("media_publish")
    first = run(path)
    [row] = first.store.history()
    assert row.state == "unknown"
    first.store.close()
    second = run(path, AT + timedelta(minutes=5))
    [row] = second.store.history()
    assert row.state == "published"
    [published] = graph.posts
    assert row.platform_post_id == published["id"]  # the media id, not the container's
    second.store.close()


def test_insights_are_read_from_the_instagram_host_one_request_at_a_time(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    from scheduler.insights.collect import collect
    from tests.fakegraph import IG_LOGIN_SCOPES

    folder = write_calendar("version: 1\n").parent
    serve_media(graph, folder)
    posts = post("gambar", "media/posyandu.jpg") + post("cerita", "media/posyandu.jpg", "story")
    ctx = run(write_calendar(calendar_text(graph, posts)))
    scopes = (*IG_LOGIN_SCOPES, "instagram_business_manage_insights")
    graph.add_instagram_token(TOKEN, IG, issued=AT - timedelta(days=1), scopes=scopes)
    asked_before = len(graph.requests)
    summary = collect(
        ctx.calendar, ctx.store, ctx.adapter_for, "t", lambda: AT + timedelta(hours=1)
    )
    assert (summary.posts, summary.followers, summary.failed) == (2, 1, 0)
    asked = graph.requests[asked_before:]
    assert all(q["method"] == "GET" and q["path"].startswith("/instagram/") for q in asked)
    assert len(asked) == 3  # the media list with insights, the story's insights, the followers
    rows = {row.post_id: row for row in ctx.store.history()}
    latest = ctx.store.insights.latest([r.key for r in rows.values()])
    image, story = latest[rows["gambar"].key], latest[rows["cerita"].key]
    served = graph.served(rows["gambar"].platform_post_id or "")
    assert (image.views, image.reach, image.likes, image.saves) == (
        served["views"], served["reach"], served["likes"], served["saved"])  # fmt: skip
    assert story.replies == graph.served(rows["cerita"].platform_post_id or "")["replies"]
    assert story.likes is None
    ctx.store.close()
