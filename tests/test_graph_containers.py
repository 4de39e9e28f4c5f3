"""Instagram containers through the Graph API: which of Meta's errors are tried again with a
new container, how often a container's status is read, and what ``find`` counts as
published. Against the fake Graph API (tests/fakegraph.py), which records every request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scheduler.adapters.base import Draft, Progress
from scheduler.adapters.graph.errors import classify
from scheduler.adapters.graph.instagram import InstagramGraphAdapter
from scheduler.adapters.graph.polling import Schedule
from scheduler.calendar import load_calendar
from scheduler.errors import AuthError, Rejected, Transient
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.test_adapters_graph import AT, IG, PAGE, TOKEN, Run, calendar_text, post, start

KEY = "gambar/ig/20270301T0200Z"
MEDIA = "media/posyandu.jpg"


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.0).start()
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG])
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    yield fake
    fake.stop()


@pytest.fixture
def run(graph: FakeGraph) -> Iterator[list[Run]]:
    runs: list[Run] = []
    graph.clock = lambda: runs[-1].now if runs else AT
    yield runs
    for r in runs:
        r.store.close()


# -- Meta's error table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "subcode"),
    [(-1, 2207001), (-2, 2207003), (-1, 2207032), (-2, 2207020), (-1, 2207053)],
)
def test_instagram_try_again_errors_are_transient(code: int, subcode: int) -> None:
    assert type(classify(code, subcode, "Instagram server error.")) is Transient


def test_a_thumbnail_offset_outside_the_video_is_permanent() -> None:
    error = classify(1, 2207057, "Thumbnail offset must be less than video duration")
    assert type(error) is Rejected


def test_code_3_pauses_the_account_naming_the_permissions() -> None:
    error = classify(3, None, "Application does not have the capability to make this API call.",
                     needs=("instagram_basic", "instagram_content_publish"))  # fmt: skip
    assert type(error) is AuthError
    assert error.message == (
        "Application does not have the capability to make this API call.; the app lacks the "
        "capability or permission this call needs (instagram_basic, instagram_content_publish): "
        "grant it, then run 'jadwal accounts check'"
    )


def test_a_code_never_seen_is_tried_again_not_rejected() -> None:
    error = classify(12345, 678, "Something new.")
    assert type(error) is Transient
    assert error.message == (
        "Something new. (Meta's code 12345/678 is not one jadwal knows: tried again like a "
        "platform error)"
    )


def test_a_code_never_seen_on_the_publishing_call_fails_when_the_grace_period_ends(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", MEDIA))))
    graph.fail_next(50, code=12345, message="Something new.", path_contains="media_publish")
    for minutes in (0, 5, 60, 180, 7 * 60):
        r.tick(minutes=minutes)
    row = r.store.get(KEY)
    assert row is not None and row.state == "failed" and graph.posts == []
    assert row.error_message is not None and row.error_message.endswith(
        "(#12345) Something new. (Meta's code 12345 is not one jadwal knows: tried again like "
        "a platform error)"
    )


def test_create_media_fail_is_tried_again_and_published_once(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", MEDIA))))
    text = "Create media fail, please try to re-create media"
    graph.fail_next(1, code=-1, subcode=2207032, message=text, path_contains=f"{IG}/media")
    r.tick()
    row = r.store.get(KEY)
    assert row is not None and row.state == "retry"
    assert row.error_message == f"Transient: (#-1/2207032) {text}"
    r.tick(minutes=5)
    assert r.state(KEY) == "published" and len(graph.posts) == 1


def test_an_error_container_is_made_again_never_reused(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", MEDIA))))
    graph.set_container_outcome("ERROR", subcode=2207001)
    r.tick()
    row = r.store.get(KEY)
    assert row is not None and row.state == "retry" and row.container_id is not None
    failed = row.container_id
    assert row.error_message == (
        "Transient: (#-1/2207001) Instagram could not process the media (ERROR: Error: Media "
        "upload has failed with error code 2207001); a new container is made on the next try"
    )
    graph.set_container_outcome("FINISHED")
    r.tick(minutes=5)
    assert r.state(KEY) == "published" and len(graph.posts) == 1
    [published] = [q for q in graph.requests if q["path"].endswith("/media_publish")]
    assert published["params"]["creation_id"] != failed
    assert graph.posts[0]["container"] != failed


def test_an_error_container_with_a_permanent_subcode_fails(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", MEDIA))))
    graph.set_container_outcome("ERROR", subcode=2207026)
    r.tick()
    row = r.store.get(KEY)
    assert row is not None and (row.state, row.attempts) == ("failed", 1)
    assert row.error_message == (
        "Rejected: (#352/2207026) Instagram could not process the media (ERROR: Error: Media "
        "upload has failed with error code 2207026)"
    )


def test_a_restricted_instagram_account_pauses_it(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", MEDIA))))
    graph.fail_next(
        1, code=25, subcode=2207050, message="The Instagram account is restricted.",
        path_contains=f"{IG}/media",
    )  # fmt: skip
    r.tick()
    assert "ig" in r.store.paused()
    row = r.store.get(KEY)
    assert row is not None and row.error_message == (
        "AuthError: (#25/2207050) The Instagram account is restricted.; the Instagram account "
        "is inactive, checkpointed or restricted: sign in to the Instagram app and complete "
        "what it asks, then run 'jadwal accounts check'"
    )
    assert graph.posts == []


# -- status reads ---------------------------------------------------------------------------


class Adapter:
    """The Instagram adapter on Meta's real schedule, its pauses recorded instead of slept."""

    def __init__(self, path: Path, media: tuple[str, ...], kind: str = "feed") -> None:
        calendar = load_calendar(path)
        self.pauses: list[float] = []
        self.adapter = InstagramGraphAdapter(
            calendar, calendar.accounts["ig"], sleep=self.pauses.append, schedule=Schedule()
        )
        self.draft = Draft(
            key=KEY, post_id="gambar", account="ig", platform="instagram", at=AT,
            caption="Info gambar", media=tuple(path.parent / m for m in media),
            kind=kind,  # type: ignore[arg-type]
        )  # fmt: skip
        self.saved: list[str] = []

    def publish(self) -> Any:
        return self.adapter.publish(self.draft, Progress(save=self.saved.append))


def test_an_image_post_reads_its_container_once_after_a_few_seconds(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    a = Adapter(write_calendar(calendar_text("")), (MEDIA,))
    a.publish()
    assert len(graph.status_reads()) == 1
    assert a.pauses == [2.0]


def test_a_container_that_never_finishes_is_read_about_once_a_minute_for_five_minutes(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    a = Adapter(write_calendar(calendar_text("")), (MEDIA,))
    graph.set_container_outcome("IN_PROGRESS")
    with pytest.raises(Transient, match=r"^the media was still processing after 300 s$"):
        a.publish()
    assert len(graph.status_reads()) == 8
    assert a.pauses == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert sum(a.pauses) <= 300


def test_carousel_children_are_read_together(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    a = Adapter(write_calendar(calendar_text("")), ("media/sop-ktp-1.jpg", "media/sop-ktp-2.jpg"))
    graph.set_container_outcome("IN_PROGRESS")
    with pytest.raises(Transient):
        a.publish()
    reads = graph.status_reads()
    assert len(a.pauses) == 8  # one schedule for both children, not one each
    assert len(reads) == 16 and len(set(reads)) == 2
    assert all(reads[i] != reads[i + 1] for i in range(0, 16, 2))  # both in every round


def test_a_finished_carousel_needs_at_most_three_status_reads(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    a = Adapter(write_calendar(calendar_text("")), ("media/sop-ktp-1.jpg", "media/sop-ktp-2.jpg"))
    a.publish()
    assert len(graph.status_reads()) == 3  # both children in one round, then the carousel


# -- find -----------------------------------------------------------------------------------


class Answers:
    """A Graph client that answers the container read and the listing as told."""

    def __init__(self, container: dict[str, Any]) -> None:
        self.container = container

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        if path == "c1":
            return self.container
        return {"data": [], "paging": {}}


def finder(path: Path, container: dict[str, Any]) -> InstagramGraphAdapter:
    calendar = load_calendar(path)
    return InstagramGraphAdapter(calendar, calendar.accounts["ig"], graph=Answers(container))  # type: ignore[arg-type]


def draft() -> Draft:
    return Draft(KEY, "gambar", "ig", "instagram", AT, "Info gambar", claimed_at=AT)


def test_a_container_without_status_and_an_empty_listing_is_not_published(
    write_calendar: WriteCalendar,
) -> None:
    found = finder(write_calendar(calendar_text("")), {"id": "c1"}).find(draft(), "c1")
    assert (found.state, found.published) == ("unknown", None)
    assert found.detail == "the container's status could not be read"


@pytest.mark.parametrize("status", ["IN_PROGRESS", "FINISHED", "EXPIRED", "ERROR"])
def test_a_container_that_is_not_published_says_the_post_did_not_go_out(
    write_calendar: WriteCalendar, status: str
) -> None:
    # A crash mid-upload leaves a resumable container IN_PROGRESS: media_publish was never
    # sent, so the next claim may send the post (only PUBLISHED means it went out).
    answer = {"id": "c1", "status_code": status}
    found = finder(write_calendar(calendar_text("")), answer).find(draft(), "c1")
    assert (found.state, found.published) == ("not_published", None)
    assert found.detail == f"container {status}"


def test_a_published_container_not_yet_listed_stays_unknown_not_recorded_by_container_id(
    write_calendar: WriteCalendar,
) -> None:
    answer = {"id": "c1", "status_code": "PUBLISHED"}
    found = finder(write_calendar(calendar_text("")), answer).find(draft(), "c1")
    assert (found.state, found.published) == ("unknown", None)
    assert found.detail == "the container was published, its post is not listed yet"


def test_a_published_container_is_recorded_by_its_media_id(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    graph.clock = lambda: AT
    a = Adapter(write_calendar(calendar_text("")), (MEDIA,))
    a.publish()
    [container] = a.saved
    found = a.adapter.find(Draft(**{**a.draft.__dict__, "claimed_at": AT}), container)
    assert found.state == "published" and found.published is not None
    assert found.published.platform_post_id == graph.posts[0]["id"] != container


def test_a_published_story_is_recorded_by_its_media_id(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    graph.clock = lambda: AT
    a = Adapter(write_calendar(calendar_text("")), (MEDIA,), kind="story")
    a.publish()
    [container] = a.saved
    found = a.adapter.find(Draft(**{**a.draft.__dict__, "claimed_at": AT}), container)
    assert found.state == "published" and found.published is not None
    assert found.published.platform_post_id == graph.posts[0]["id"] != container


def test_code_3_on_instagram_names_what_publishing_needs(
    graph: FakeGraph, write_calendar: WriteCalendar, run: list[Run]
) -> None:
    r = start(run, write_calendar(calendar_text(post("gambar", "ig", MEDIA))))
    text = "Application does not have the capability to make this API call."
    graph.fail_next(1, code=3, message=text, path_contains=f"{IG}/media")
    r.tick()
    assert "ig" in r.store.paused()
    row = r.store.get(KEY)
    assert row is not None and row.error_message == (
        f"AuthError: (#3) {text}; the app lacks the capability or permission this call needs "
        "(instagram_basic, instagram_content_publish, pages_read_engagement): grant it, then "
        "run 'jadwal accounts check'"
    )


def test_a_story_with_no_container_to_ask_is_not_sent_again_when_any_story_went_out(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    """A new or restored database has no container id: stories carry no caption to match,
    so any story since its time leaves it for a person; only none means it was not sent."""
    graph.clock = lambda: AT
    a = Adapter(write_calendar(calendar_text("")), (MEDIA,), kind="story")
    asked = Draft(**{**a.draft.__dict__, "claimed_at": AT})
    assert a.adapter.find(asked, None).state == "not_published"
    a.publish()
    found = a.adapter.find(asked, None)
    assert (found.state, found.detail) == ("unknown", "1 story since its time")
