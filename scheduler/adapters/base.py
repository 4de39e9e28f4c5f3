"""The adapter contract: the ``Adapter`` Protocol every platform implements and the values
that cross it (``Draft`` in; ``Published``, ``Lookup``, ``CheckResult`` out; ``Progress`` for
what an adapter tells the engine mid-publication). The registry is in
``scheduler.adapters``.

An adapter publishes a rendered ``Draft`` and returns where it landed (or, for a channel
posted to by hand, ``Handed``: ready for the person jadwal reminds); it can look a post
up again (``find``) so that an attempt whose outcome is unknown is settled by asking the
platform instead of posting twice. Failures are raised as ``scheduler.errors``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from scheduler.adapters.network import Endpoint

if TYPE_CHECKING:
    from scheduler.calendar.model import Account, Calendar, Kind
    from scheduler.platforms.steps import Plan


@dataclass(frozen=True)
class Draft:
    """One rendered occurrence, ready for a platform."""

    key: str
    post_id: str
    account: str
    platform: str
    at: datetime
    caption: str
    media: tuple[Path, ...] = ()
    kind: Kind = "feed"
    link: str | None = None
    # For ``find``: when jadwal first claimed this publication. Nothing it sent can be older,
    # so an older post with the same caption (last week's, or the original of an ``--again``)
    # is not this one. None outside lookups.
    claimed_at: datetime | None = None

    @property
    def caption_hash(self) -> str:
        return caption_hash(self.caption)

    @property
    def sent_after(self) -> datetime:
        """The earliest moment this draft can have reached the platform."""
        return self.claimed_at or self.at


def verdict(calendar: Calendar, account: Account, draft: Draft) -> Plan:
    """The platform rules' plan for the draft (``scheduler.platforms.rules.plan``, the same
    verdict ``jadwal check`` reports); ``Rejected`` with the first error when it may not go
    out. Every adapter, the dry run included, starts here, before anything is prepared."""
    from scheduler.errors import Rejected
    from scheduler.platforms.destination import Destination
    from scheduler.platforms.rules import plan

    found = plan(
        Destination.of(calendar, account), draft.kind, draft.media, draft.caption, draft.link
    )
    if found.refusal is not None:
        raise Rejected(found.refusal)
    return found


def caption_hash(caption: str) -> str:
    return hashlib.sha256(caption.strip().encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Published:
    platform_post_id: str
    permalink: str | None = None


@dataclass(frozen=True)
class Handed:
    """A post for a person to make, on a channel without a posting API: nothing was sent.
    The engine records it ``awaiting``; the notifier reminds the person, with ``media`` (the
    files as prepared for the platform) where the service carries attachments."""

    media: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Lookup:
    """What the platform says about a post jadwal may or may not have published."""

    state: Literal["published", "not_published", "unknown"]
    published: Published | None = None
    detail: str = ""


def _keep_going() -> None:
    pass


@dataclass
class Progress:
    """What an adapter tells the engine mid-publication.

    ``save(container_id)``: a platform-side id that must survive a crash. ``confirm()``: call it
    right before the request that makes the post public; it raises ``ClaimLost`` when the
    claim has passed to another publisher, so a process that was paused past its lease never
    sends a post someone else has already settled.
    """

    save: Callable[[str], None] = field(default=lambda _: None)
    confirm: Callable[[], None] = field(default=_keep_going)


@dataclass(frozen=True)
class CheckResult:
    """One line of ``jadwal accounts check``: what was checked, whether it is fine, and what
    was found or what to do about it. Never holds a secret."""

    item: str  # e.g. "token", "page", "permissions", "quota", "session"
    ok: bool
    detail: str
    # Fine for publishing, but worth a person's look (a permission a later feature needs):
    # shown as a warning, and never keeps an account from passing or being resumed.
    warning: bool = False


class Adapter(Protocol):
    def publish(self, draft: Draft, progress: Progress) -> Published | Handed:
        """Publish the draft (or, without a posting API, prepare it for a person:
        ``Handed``); raise one of ``scheduler.errors`` on failure. Call
        ``progress.save(container_id)`` as soon as a platform-side id exists, and
        ``progress.confirm()`` right before the request that makes the post public."""
        ...

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        """Whether a draft whose publication had an unknown outcome is on the platform."""
        ...

    def check(self) -> list[CheckResult]:
        """Whether this account can publish: token, ids, permissions, quota, session."""
        ...


AdapterFactory = Callable[["Calendar", "Account"], Adapter]


def arriving_seconds(adapter: Adapter, media: tuple[Path, ...]) -> float:
    """How long the request that publishes a post with ``media`` may still be arriving at
    the platform after its answer was given up on: the adapter says (``arriving``, for the
    routes whose publishing request carries the media itself), else nothing."""
    arriving = getattr(adapter, "arriving", None)
    return float(arriving(media)) if callable(arriving) else 0.0


def endpoint_of(adapter: Adapter) -> Endpoint | None:
    """What the adapter reaches over the network (``Endpoint``), for the engine's connection
    checks; None for one that needs no network (the dry run)."""
    found = getattr(adapter, "endpoint", None)
    return found if isinstance(found, Endpoint) else None


def endpoints_of(adapter: Adapter) -> tuple[Endpoint, ...]:
    """Every host the adapter may need (``endpoint``, then ``upload_endpoints``: Instagram's
    upload host), for the engine's checks of the ones found offline."""
    main = endpoint_of(adapter)
    more = getattr(adapter, "upload_endpoints", ())
    return ((main,) if main is not None else ()) + tuple(e for e in more if isinstance(e, Endpoint))


def endpoints_for(adapter: Adapter, kind: Kind, media: tuple[Path, ...]) -> tuple[Endpoint, ...]:
    """The hosts beside ``endpoint`` that one post needs (``endpoints_for``: a reel sent by
    resumable upload needs the upload host); none for the routes that talk to one host."""
    needs = getattr(adapter, "endpoints_for", None)
    return tuple(needs(kind, media)) if callable(needs) else ()


def keep_alive(adapter: Adapter, now: datetime) -> None:
    """The adapter's upkeep between publications (``keep_alive``: an Instagram Login token
    refreshed ahead of its expiry); nothing for the routes that need none."""
    upkeep = getattr(adapter, "keep_alive", None)
    if callable(upkeep):
        upkeep(now)


def insights_reader(adapter: Adapter) -> Callable[..., Any] | None:
    """The adapter's ``insights(targets, followers) -> Readings`` (``adapters.metrics``), for
    the routes that can read what a post did; None for the others (by hand, the dry run)."""
    reader = getattr(adapter, "insights", None)
    return reader if callable(reader) else None
