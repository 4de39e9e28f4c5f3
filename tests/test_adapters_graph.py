"""Contract tests: the Facebook and Instagram Graph adapters, through the engine, against the
fake Graph API on 127.0.0.1. What reached the "platform" is asserted from the fake's record."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from scheduler.adapters import adapter_factory
from scheduler.adapters.graph import lookup as graph_lookup
from scheduler.calendar import load_calendar
from scheduler.database import open_store
from scheduler.engine import Context, RetryPolicy, publish_due
from scheduler.errors import PublishError, Rejected, Throttled, Transient
from scheduler.manual import publish_now
from scheduler.store import Store
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph

TOKEN = "EAAGcanarySECRETtoken0123456789abcdef"
PAGE = "1001"
IG = "17841"
AT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.05).start()
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG])
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    yield fake
    fake.stop()


def calendar_text(posts: str, media: str = "media: {staging: facebook_page}") -> str:
    return (
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n  fb: {{platform: facebook, page_id: '{PAGE}', token: '${{META_TOKEN}}'}}\n"
        f"  ig: {{platform: instagram, ig_user_id: '{IG}', page_id: '{PAGE}', "
        "token: '${META_TOKEN}'}\n"
        f"{media}\nrules: {{min_posts_per_week: 0}}\nposts:\n{posts}"
    )


def post(post_id: str, accounts: str, media: str = "", kind: str = "feed") -> str:
    text = (
        f"  - id: {post_id}\n    accounts: [{accounts}]\n    at: '2027-03-01 09:00'\n"
        f"    kind: {kind}\n    caption: 'Info {post_id} {{{{ at | tanggal }}}}'\n"
    )
    return text + (f"    media: [{media}]\n" if media else "")


class Run:
    def __init__(self, path: Path) -> None:
        calendar = load_calendar(path)
        self.store = open_store(f"sqlite:///{path.parent / 'jadwal.db'}")
        self.ctx = Context(
            calendar=calendar,
            store=self.store,
            owner="contract",
            adapter_for=adapter_factory(calendar, None),
            retry=RetryPolicy(max_attempts=3, base=timedelta(seconds=1)),
        )
        self.now = AT
        # The store "existed" before the posts were due, so nothing is reported missed.
        self.ctx.clock = lambda: self.now

    def tick(self, minutes: float = 0) -> None:
        self.now = AT + timedelta(minutes=minutes)
        publish_due(self.ctx, self.now)

    def state(self, key: str) -> str:
        row = self.store.get(key)
        assert row is not None, key
        return row.state


@pytest.fixture
def run(graph: FakeGraph) -> Iterator[list[Run]]:
    runs: list[Run] = []
    # The platform's clock is the test's: created_time and timestamps follow the latest run.
    graph.clock = lambda: runs[-1].now if runs else AT
    yield runs
    for r in runs:
        r.store.close()


def start(runs: list[Run], path: Path) -> Run:
    r = Run(path)
    runs.append(r)
    return r


def test_facebook_text_post(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    r.tick()
    [published] = graph.posts
    assert published["kind"] == "fb_feed"
    assert published["text"] == "Info teks Senin, 1 Maret 2027"
    row = r.store.get("teks/fb/20270301T0200Z")
    assert row is not None and row.state == "published"
    assert row.permalink == published["permalink"]


def test_facebook_photo_album_and_video(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    path = write_calendar(
        calendar_text(
            post("foto", "fb", "media/posyandu.jpg")
            + post("album", "fb", "media/sop-ktp-1.jpg, media/sop-ktp-2.jpg")
        )
    )
    r = start(run, path)
    r.tick()
    kinds = sorted(p["kind"] for p in graph.posts)
    assert kinds == ["fb_album", "fb_photo"]
    album = next(p for p in graph.posts if p["kind"] == "fb_album")
    assert len(album["media"]) == 2


def test_instagram_image_through_page_staging(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", "media/ucapan.png"))))
    r.tick()
    [published] = graph.posts
    assert published["kind"] == "ig_image"
    assert published["text"] == "Info gambar Senin, 1 Maret 2027"
    assert published["permalink"].startswith("https://www.instagram.com/p/")
    assert r.state("gambar/ig/20270301T0200Z") == "published"
    original = (Path(r.ctx.calendar.folder) / "media" / "ucapan.png").read_bytes()
    assert original.startswith(b"\x89PNG")  # converted for Instagram, the original untouched


def test_instagram_carousel(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    media = "media/sop-ktp-1.jpg, media/sop-ktp-2.jpg, media/kerja-bakti.jpg"
    r = start(run, write_calendar(calendar_text(post("korsel", "ig", media))))
    r.tick()
    [published] = graph.posts
    assert published["kind"] == "ig_carousel"
    assert len(published["media"]) == 3


def test_instagram_from_public_base_url(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    folder = write_calendar(calendar_text(""))
    graph.serve_file("posyandu.jpg", (folder.parent / "media" / "posyandu.jpg").read_bytes())
    path = write_calendar(
        calendar_text(
            post("publik", "ig", "media/posyandu.jpg"),
            media=f"media: {{public_base_url: '{graph.url}/static'}}",
        )
    )
    r = start(run, path)
    r.tick()
    [published] = graph.posts
    assert published["media"] == [f"{graph.url}/static/posyandu.jpg"]


def test_transient_errors_retry_then_publish_once(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    graph.fail_next(
        1,
        code=2,
        message="Service temporarily unavailable",
        is_transient=True,
        path_contains="/feed",
    )
    r.tick()
    assert r.state("teks/fb/20270301T0200Z") == "retry"
    r.tick(minutes=5)
    assert r.state("teks/fb/20270301T0200Z") == "published"
    assert len(graph.posts) == 1


def test_rejected_fails_once_with_metas_message(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", "media/posyandu.jpg"))))
    graph.fail_next(
        1,
        code=36003,
        subcode=2207009,
        message="The aspect ratio is not supported.",
        path_contains=f"{IG}/media",
    )
    r.tick()
    row = r.store.get("gambar/ig/20270301T0200Z")
    assert row is not None and row.state == "failed" and row.attempts == 1
    assert row.error_message == "Rejected: (#36003/2207009) The aspect ratio is not supported."
    r.tick(minutes=30)
    assert graph.posts == []


def test_expired_token_pauses_the_account(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    path = write_calendar(calendar_text(post("satu", "fb") + post("dua", "fb")))
    r = start(run, path)
    graph.fail_next(
        1, code=190, subcode=463, message="Error validating access token: Session has expired"
    )
    r.tick()
    assert "fb" in r.store.paused()
    calls = len(graph.requests)
    r.tick(minutes=10)
    assert len(graph.requests) == calls  # no further calls for a paused account
    assert graph.posts == []


def test_quota_defers_instead_of_failing(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    graph.set_quota_usage(IG, 100)
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", "media/posyandu.jpg"))))
    r.tick()
    row = r.store.get("gambar/ig/20270301T0200Z")
    assert row is not None and row.state == "retry" and row.next_attempt_at is not None
    assert row.next_attempt_at >= r.now + timedelta(minutes=59)
    assert not any("/media" in q["path"] and q["method"] == "POST" for q in graph.requests)


def test_crash_after_media_publish_is_reconciled_without_a_second_post(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", "media/posyandu.jpg"))))
    graph.drop_after_accept_next("media_publish")
    r.tick()
    key = "gambar/ig/20270301T0200Z"
    assert r.state(key) == "unknown"
    r.tick(minutes=1)
    assert r.state(key) == "published"
    r.tick(minutes=2)
    assert len(graph.posts) == 1


@pytest.mark.parametrize(
    ("post_id", "account", "media"),
    [
        ("teks", "fb", ""),
        ("foto", "fb", "media/posyandu.jpg"),
        ("album", "fb", "media/sop-ktp-1.jpg, media/sop-ktp-2.jpg"),
        ("gambar", "ig", "media/posyandu.jpg"),
        ("carousel", "ig", "media/sop-ktp-1.jpg, media/sop-ktp-2.jpg"),
    ],
)
def test_nothing_goes_public_once_the_claim_is_lost(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    run: list[Run],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    post_id: str,
    account: str,
    media: str,
) -> None:
    r = start(run, write_calendar(calendar_text(post(post_id, account, media))))
    # As if this process had been frozen past its lease and another had taken the post over.
    monkeypatch.setattr(Store, "confirm", lambda *_: False)
    r.tick()
    assert graph.posts == []
    assert any(m.startswith(f"lost {post_id}/{account}/") for m in caplog.messages)


def posted_elsewhere(graph: FakeGraph, count: int, at: datetime) -> None:
    """``count`` posts on the page by someone else (another admin, Meta Business Suite)."""
    clock, graph.clock = graph.clock, lambda: at
    with requests.Session() as session:
        for n in range(count):
            session.post(
                f"{graph.url}/{graph.version}/{PAGE}/feed",
                data={"message": f"Kabar lain {n}"},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=5,
            ).raise_for_status()
    graph.clock = clock


def ours(graph: FakeGraph) -> list[dict[str, Any]]:
    return [p for p in graph.posts if p["text"].startswith("Info ")]


@pytest.mark.parametrize(("others", "pages_read"), [(0, 1), (120, 3)])
def test_lost_answer_to_a_feed_post_is_found_not_resent(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run], others: int, pages_read: int
) -> None:
    """Found on the first page, or behind ``others`` newer posts by other admins."""
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    graph.drop_after_accept_next("/feed")
    r.tick()
    key = "teks/fb/20270301T0200Z"
    assert r.state(key) == "unknown"
    posted_elsewhere(graph, others, AT + timedelta(minutes=10))
    r.tick(minutes=30)
    assert r.state(key) == "published"
    [mine] = ours(graph)
    assert len(graph.posts) == 1 + others
    row = r.store.get(key)
    assert row is not None and row.permalink == mine["permalink"]
    pages = [q for q in graph.requests if q["path"].endswith("/posts")]
    assert [q["params"].get("after") is not None for q in pages] == [
        n > 0 for n in range(pages_read)
    ]


def test_lookup_reads_back_to_the_posts_time_before_sending_again(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    posted_elsewhere(graph, 10, AT - timedelta(days=1))
    graph.html_error_next(1, status=502, path_contains="/feed")
    r.tick()
    key = "teks/fb/20270301T0200Z"
    assert r.state(key) == "unknown"
    posted_elsewhere(graph, 70, AT + timedelta(minutes=5))
    r.tick(minutes=10)  # 70 newer posts, then yesterday's: it never went out
    r.tick(minutes=12)
    assert r.state(key) == "published"
    assert len(ours(graph)) == 1


def test_last_weeks_post_with_the_same_caption_is_not_taken_for_this_one(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    weekly = (
        "  - id: jadwal\n    accounts: [fb]\n    cron: '0 9 * * 1'\n"
        "    caption: 'Jadwal pelayanan minggu ini'\n"
    )
    r = start(run, write_calendar(calendar_text(weekly)))
    r.now = AT - timedelta(days=7)
    publish_due(r.ctx, r.now)  # last Monday's, published normally
    graph.html_error_next(1, status=502, path_contains="/feed")
    r.tick()  # this Monday's: the answer is an error page
    key = "jadwal/fb/20270301T0200Z"
    assert r.state(key) == "unknown"
    r.tick(minutes=1)  # the page has only last week's: this one never went out
    r.tick(minutes=2)
    assert r.state(key) == "published"
    assert [p["created_time"][:10] for p in graph.posts] == ["2027-02-22", "2027-03-01"]


def test_a_republication_is_not_mistaken_for_the_original(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    r.tick()  # published at 09:00
    occurrence = r.ctx.find("teks/fb/20270301T0200Z")
    assert occurrence is not None
    r.now = AT + timedelta(hours=5)  # `jadwal post teks --again` at 14:00: no answer
    graph.html_error_next(1, status=502, path_contains="/feed")
    publish_now(r.ctx, [occurrence], r.now, again=True)
    again = "teks/fb/20270301T0200Z~again1"
    assert r.state(again) == "unknown"
    r.tick(minutes=301)  # the page has only the 09:00 post: this one never went out
    r.tick(minutes=302)
    assert r.state(again) == "published"
    assert [p["created_time"][11:16] for p in graph.posts] == ["02:00", "07:01"]


def test_lookup_that_cannot_reach_the_posts_time_leaves_it_unknown(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    run: list[Run],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(graph_lookup, "REACH", replace(graph_lookup.REACH, pages=2))
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    graph.html_error_next(1, status=502, path_contains="/feed")
    r.tick()
    posted_elsewhere(graph, 101, AT + timedelta(minutes=5))
    for minutes in (10, 11, 12):  # the daemon's sweep looks again every minute
        r.tick(minutes=minutes)
    row = r.store.get("teks/fb/20270301T0200Z")
    assert row is not None and row.state == "unknown"
    said = [m for m in caplog.messages if m.startswith("unknown teks/fb/20270301T0200Z: looked")]
    assert len(said) == 1  # logged once, not on every sweep
    assert row.error_message == (
        "looked on the platform: not among the 100 most recent posts; older ones not read; "
        "looked up again on every run, or settle it with 'jadwal resolve'"
    )
    assert ours(graph) == []


def test_duplicate_506_is_looked_up_once_then_failed_never_resent(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    graph.fail_next(1, code=506, message="(#506) Duplicate status message", path_contains="/feed")
    r.tick()
    key = "teks/fb/20270301T0200Z"
    row = r.store.get(key)
    assert row is not None and row.state == "failed"
    assert row.error_message == (
        "Rejected: (#506) (#506) Duplicate status message; Facebook refuses a text this Page "
        "posted recently (the same text twice in a row): nothing was posted"
    )
    lookups = [q for q in graph.requests if q["method"] == "GET" and q["path"].endswith("/posts")]
    assert len(lookups) == 1
    for minutes in (1, 30, 24 * 60):
        r.tick(minutes=minutes)
    assert len([q for q in graph.requests if q["path"].endswith("/feed")]) == 1
    assert graph.posts == []


def test_duplicate_506_after_an_earlier_attempt_posted_it_is_published(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    key = "teks/fb/20270301T0200Z"
    occurrence = r.ctx.find(key)
    assert occurrence is not None
    caption = r.ctx.renderer.render(occurrence)
    # What an earlier attempt of this claim left on the Page: Facebook refuses the text again.
    with requests.Session() as session:
        earlier = session.post(
            f"{graph.url}/{graph.version}/{PAGE}/feed",
            data={"message": caption},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=5,
        ).json()["id"]
    r.tick()
    row = r.store.get(key)
    assert row is not None and (row.state, row.platform_post_id) == ("published", earlier)
    assert len(graph.posts) == 1


def test_html_error_on_publish_is_unknown_not_retried(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    graph.html_error_next(1, status=502, path_contains="/feed")
    r.tick()
    assert r.state("teks/fb/20270301T0200Z") == "unknown"


def test_the_token_never_leaks(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    run: list[Run],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    path = write_calendar(
        calendar_text(post("teks", "fb") + post("gambar", "ig", "media/posyandu.jpg"))
    )
    r = start(run, path)
    graph.fail_next(1, code=190, message=f"bad token {TOKEN}", path_contains="/feed")
    r.tick()
    rows = r.store.history()
    assert rows
    dumped = " ".join(str(row.model_dump()) for row in rows)
    assert TOKEN not in dumped
    assert TOKEN not in caplog.text
    assert TOKEN not in (path.parent / "jadwal.db").read_bytes().decode("latin-1")
    assert all(TOKEN not in str(q) for q in graph.requests)


def test_reel_and_story_from_public_base_url(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    from tests.test_mediaprep import mp4

    folder = write_calendar(calendar_text("")).parent
    film = mp4(folder / "media" / "film.mp4", seconds=20)
    graph.serve_file("film.mp4", film.read_bytes(), content_type="video/mp4")
    graph.serve_file("posyandu.jpg", (folder / "media" / "posyandu.jpg").read_bytes())
    media = f"media: {{public_base_url: '{graph.url}/static'}}"
    posts = post("film", "ig", "media/film.mp4", kind="reel") + post(
        "cerita", "ig", "media/posyandu.jpg", kind="story"
    )
    r = start(run, write_calendar(calendar_text(posts, media=media)))
    r.tick()
    assert sorted(p["kind"] for p in graph.posts) == ["ig_reel", "ig_story"]


def test_facebook_video(graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]) -> None:
    from tests.test_mediaprep import mp4

    folder = write_calendar(calendar_text("")).parent
    mp4(folder / "media" / "film.mp4", seconds=20)
    r = start(run, write_calendar(calendar_text(post("video", "fb", "media/film.mp4"))))
    r.tick()
    [published] = graph.posts
    assert published["kind"] == "fb_video"
    assert published["text"] == "Info video Senin, 1 Maret 2027"


def test_accounts_check_reports_and_resumes(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scheduler import cli

    monkeypatch.setenv("COLUMNS", "200")  # one table row per line

    path = write_calendar(calendar_text(""))
    store = open_store(f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}")
    store.pause("fb", "AuthError: (#190) expired", datetime.now(UTC))
    store.close()
    code = cli.run(["accounts", "check", "--calendar", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "fb: was paused; resumed now that its checks pass" in out
    assert "0 of 100 posts used in the last 24 hours" in out
    assert TOKEN not in out


def test_accounts_check_says_what_to_fix(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scheduler import cli

    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    monkeypatch.setenv("META_TOKEN", "EAAGexpiredTOKEN000000000000000000")
    graph.add_token("EAAGexpiredTOKEN000000000000000000", pages=[PAGE], valid=False)
    code = cli.run(["accounts", "check", "--calendar", str(write_calendar(calendar_text("")))])
    out = capsys.readouterr().out
    assert code == 1
    assert "FIX the token is no longer valid: issue a new one and update the secret" in out
    assert "EAAGexpiredTOKEN" not in out


def test_facebook_link_post(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    text = post("tautan", "fb") + "    link: https://sukamaju.desa.id/apbdes-2027\n"
    r = start(run, write_calendar(calendar_text(text)))
    r.tick()
    [published] = graph.posts
    assert published["kind"] == "fb_feed"
    assert published["link"] == "https://sukamaju.desa.id/apbdes-2027"


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        (
            Throttled("rate limit reached", timedelta(minutes=5), code=4),
            "the Graph API asks to wait (rate limit reached): try again later; the token was "
            "not checked",
        ),
        (
            Transient("service temporarily unavailable", code=2),
            "the Graph API had a temporary problem ((#2) service temporarily unavailable): try "
            "again in a few minutes; the token was not checked",
        ),
        (
            Rejected("unsupported request", code=2500),
            "(#2500) unsupported request: issue a new token",
        ),
    ],
    ids=["throttled", "temporary", "refused"],
)
def test_a_token_check_that_could_not_finish_says_why_in_words(
    error: PublishError, detail: str
) -> None:
    from scheduler.adapters.graph.needs import facebook_needs
    from scheduler.adapters.graph.permissions import check_permissions

    class Failing:
        def get(self, path: str, **params: str) -> dict[str, object]:
            raise error

    [result] = check_permissions(Failing(), facebook_needs(PAGE), None)  # type: ignore[arg-type]
    assert (result.item, result.ok, result.detail) == ("token", False, detail)


def test_duplicate_506_whose_lookup_fails_stays_unknown_and_goes_out_once(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("teks", "fb"))))
    graph.fail_next(1, code=506, message="(#506) Duplicate status message", path_contains="/feed")
    graph.html_error_next(1, status=502, path_contains="/posts")
    r.tick()
    key = "teks/fb/20270301T0200Z"
    row = r.store.get(key)
    assert row is not None and row.state == "unknown"
    assert row.error_message == (
        "OutcomeUnknown: (#506) (#506) Duplicate status message; Facebook refuses a text this "
        "Page posted recently (the same text twice in a row): nothing was posted; could not "
        "look for an earlier post: the Graph API answered with an error page instead of JSON"
    )
    r.tick(minutes=1)  # the lookup works now and finds nothing: sent once more
    r.tick(minutes=2)
    assert r.state(key) == "published" and len(graph.posts) == 1
