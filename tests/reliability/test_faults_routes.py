"""Fault injection on the routes beside the Page and Graph-with-staging ones: Instagram Login
(media from a public URL), Instagram's resumable upload of videos without a public URL, and
Facebook Page videos by Meta's Resumable Upload API.

The same bench as ``test_faults`` (the engine, a store, the fake Graph API, one clock held by
the test): transient errors, rate limits, HTML 5xx pages, lost answers and answers after the
client's timeout hit the calls each route makes, the one that publishes included, and every
post must still go out exactly once, recorded with its platform id and permalink.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler.adapters.graph import client as graph_client
from scheduler.adapters.graph import polling
from tests.fakegraph import FakeGraph
from tests.reliability.test_faults import (
    AT,
    CLIENT_TIMEOUT,
    MAX_ATTEMPTS,
    TOKEN,
    Bench,
    Injector,
    Make,
    _history,
    _problems,
    bench,
    run_until_settled,
)
from tests.test_mediaprep import FTYP, box, mvhd

__all__ = ["bench"]  # the fixture, used by name

SEED = int(os.environ.get("JADWAL_FAULT_SEED") or 20261202)
USER_TOKEN = "EAAGfaultUSERtoken0123456789abcdef01"
LOGIN_TOKEN = "IGAAfaultLOGINtoken0123456789abcdef0"
APP_ID = "880001"
VIDEO = "klip.mp4"
IMAGES = ("posyandu.jpg", "kerja-bakti.jpg")


@dataclass(frozen=True)
class Route:
    """One account of a route: its calendar line, and the calls a fault may hit."""

    name: str
    line: str
    safe: tuple[str, ...]  # calls that publish nothing: a lost answer is a plain retry
    publish: str  # the call that makes the post public
    kinds: tuple[tuple[str, str | None], ...]  # (kind, media) of its posts, in turn


FB_VIDEO = Route(
    "fbv",
    "{platform: facebook, page_id: '1001', token: '${META_TOKEN}', "
    "app_id: '${META_APP_ID}', user_token: '${META_USER_TOKEN}'}",
    (f"{APP_ID}/uploads",),
    "1001/videos",
    (("feed", VIDEO),),
)
IG_RESUMABLE = Route(
    "igr",
    "{platform: instagram, ig_user_id: '17841', token: '${META_TOKEN}'}",
    ("17841/content_publishing_limit", "17841/media?"),
    "17841/media_pu",
    (("reel", VIDEO), ("story", VIDEO)),
)
IG_LOGIN = Route(
    "igl",
    "{platform: instagram, via: instagram_login, ig_user_id: '17843', token: '${IG_LOGIN}'}",
    ("17843/content_publishing_limit", "17843/media?"),
    "17843/media_pu",
    (("feed", IMAGES[0]), ("reel", VIDEO), ("feed", IMAGES[1])),
)


@dataclass(frozen=True)
class Post:
    post_id: str
    route: Route
    at: object
    kind: str
    media: str | None

    def safe_paths(self) -> tuple[str, ...]:
        return self.route.safe

    def publish_paths(self) -> tuple[str, ...]:
        return (self.route.publish,)

    def yaml(self) -> str:
        return (
            f"  - id: {self.post_id}\n    accounts: [{self.route.name}]\n"
            f"    at: '{self.at.isoformat()}'\n    kind: {self.kind}\n"  # type: ignore[attr-defined]
            f"    caption: 'Pengumuman {self.post_id} [fault-{self.post_id}]'\n"
            + (f"    media: [media/{self.media}]\n" if self.media else "")
        )


def posts_of(routes: tuple[Route, ...], count: int) -> list[Post]:
    posts = []
    for i in range(count):
        route = routes[i % len(routes)]
        kind, media = route.kinds[(i // len(routes)) % len(route.kinds)]
        posts.append(Post(f"r{i:02d}", route, AT + timedelta(minutes=i), kind, media))
    return posts


def calendar_of(routes: tuple[Route, ...], media: str) -> object:
    def text(posts: list[Post]) -> str:
        lines = "".join(f"  {r.name}: {r.line}\n" for r in routes)
        return (
            f"version: 1\ntimezone: Asia/Jakarta\naccounts:\n{lines}{media}"
            "rules: {min_posts_per_week: 0, grace: 24h}\n"  # a 6-hour block, then faults
            f"posts:\n{''.join(p.yaml() for p in posts)}"
        )

    return text


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    monkeypatch.setattr(graph_client, "TIMEOUT", CLIENT_TIMEOUT)
    # Container reads a few hundredths of a second apart: the test's clock is not the sleeps'.
    monkeypatch.setattr(polling, "DEFAULT", polling.Schedule(first=0.02, cap=0.05, limit=3.0))
    fake = FakeGraph(container_delay=0.0).start()
    fake.add_token(TOKEN, pages=["1001"], ig_users=["17841"])
    fake.add_token(USER_TOKEN, kind="user")
    fake.add_app_role(APP_ID, USER_TOKEN)
    fake.add_instagram_token(LOGIN_TOKEN, "17843", issued=AT - timedelta(days=2))
    for name, value in {
        "JADWAL_GRAPH_URL": fake.url,
        "JADWAL_RUPLOAD_URL": fake.url,
        "JADWAL_INSTAGRAM_URL": fake.instagram_url,
        "META_TOKEN": TOKEN,
        "META_APP_ID": APP_ID,
        "META_USER_TOKEN": USER_TOKEN,
        "IG_LOGIN": LOGIN_TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors[0]


def small_video() -> bytes:
    """An MP4 of 20 seconds as jadwal reads it (its header), small enough to send quickly."""
    moov = box(b"moov", mvhd(1000, 20_000) + box(b"trak"))
    return FTYP + moov + box(b"mdat", random.Random(SEED).randbytes(24_000))


ROUTE_SETS = {
    # No public URL: both videos are sent by resumable upload.
    "resumable-uploads": ((FB_VIDEO, IG_RESUMABLE), ""),
    # Instagram Login takes media from a public URL only.
    "instagram-login": ((IG_LOGIN,), "media: {public_base_url: 'FAKE/static'}\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("routes", list(ROUTE_SETS))
def test_faults_on_each_route_publish_each_post_once(
    routes: str, bench: Make, graph: FakeGraph, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    chosen, media = ROUTE_SETS[routes]
    posts = posts_of(chosen, 30)
    folder = tmp_path / "media"  # the calendar's (write_calendar's folder)
    (folder / VIDEO).write_bytes(small_video())
    b: Bench = bench(posts, calendar_of(chosen, media.replace("FAKE", graph.url)))
    for name in (VIDEO, *IMAGES):
        graph.serve_file(name, (folder / name).read_bytes())
    injector = Injector(graph, rng)
    rounds = run_until_settled(b, posts, injector)  # type: ignore[arg-type]

    rows = b.store.history()
    print(
        f"\nfaults on {routes} (seed {SEED}): {len(posts)} posts, {rounds} runs, "
        f"{len(graph.requests)} requests; injected {dict(sorted(injector.kinds.items()))}"
    )
    assert Counter(r.state for r in rows) == {"published": len(posts)}, _problems(b, rows)
    # A story has no caption to find it by: each row names its public post by id instead
    # (a Page video's id, or the Page post's when a lookup found it).
    assert len(graph.posts) == len(posts)
    for row in rows:
        history = _history(b, row.key)
        assert len([o for o, _ in history if o != "throttled"]) <= MAX_ATTEMPTS, history
        (out,) = [p for p in graph.posts if row.platform_post_id in (p["id"], p.get("object_id"))]
        assert row.permalink == out["permalink"], row.key
        assert out["text"] in ("", f"Pengumuman {row.post_id} [fault-{row.post_id}]"), row.key
    assert sum(injector.kinds.values()) >= 3, "too few faults met to say anything"
