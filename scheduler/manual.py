"""``jadwal post``: publish one occurrence now, through the same claim as the daemon."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar
from scheduler.engine import Context, Report, publish_claimed
from scheduler.errors import JadwalError
from scheduler.i18n import _

SEARCH_DAYS = 400


def choose(
    calendar: Calendar, post_id: str, account: str | None, at: datetime | None, now: datetime
) -> list[Occurrence]:
    """The occurrence(s) to publish: the one at ``at``, or the next one from ``now``.

    A draft is refused here, before any database is opened: no flag publishes it.
    """
    _check_names(calendar, post_id, account)
    found = _occurrences(calendar, post_id, account, at, now)
    found = [o for o in found if o.at == at] if at is not None else _next(found, now)
    if not found:
        when = (
            _("at {isoformat}").format(isoformat=at.isoformat())
            if at
            else _("in the coming year (give --at for a past one)")
        )
        raise JadwalError(
            _("post '{post_id}' has no occurrence {when}").format(post_id=post_id, when=when)
            + (_(" for {account}").format(account=account) if account else "")
        )
    refuse_drafts(found)
    return found


def refuse_drafts(occurrences: list[Occurrence]) -> None:
    """Drafts are never published, whoever asks: the review that approves a post is the
    edit of its ``status`` in calendar.yaml, which no command-line flag can stand in for."""
    for occurrence in occurrences:
        post = occurrence.post
        if post.status != "approved":
            where = f"{post.loc.path}:{post.loc.line}:{post.loc.column}"
            raise JadwalError(
                _(
                    "post '{id}' is a draft ({where}): set status: approved in {name} after "
                    "review; nothing was published"
                ).format(id=post.id, where=where, name=Path(post.loc.path).name)
            )


def _check_names(calendar: Calendar, post_id: str, account: str | None) -> None:
    if post_id not in {p.id for p in calendar.posts} and not post_id.startswith("hari-besar-"):
        raise JadwalError(
            _("no post with id '{post_id}' in {name}").format(
                post_id=post_id, name=calendar.path.name
            )
        )
    if account is not None and account not in calendar.accounts:
        raise JadwalError(_("account '{account}' is not in the calendar").format(account=account))


def _occurrences(
    calendar: Calendar, post_id: str, account: str | None, at: datetime | None, now: datetime
) -> list[Occurrence]:
    """The post's occurrences on the day of ``at``, or in the year from ``now``."""
    start = (at or now).astimezone(calendar.timezone).date()
    last = start if at else start + timedelta(days=SEARCH_DAYS)
    return [o for o in expand(calendar, start, last, account) if o.post.id == post_id]


def _next(found: list[Occurrence], now: datetime) -> list[Occurrence]:
    """The next occurrence from ``now`` (on every account it has at that moment)."""
    found = [o for o in found if o.at >= now]  # "the next one": not one already past
    return [o for o in found if o.at == found[0].at] if found else []


def claim_manual(ctx: Context, occurrence: Occurrence, now: datetime, again: bool) -> Occurrence:
    """Claim the occurrence (or, with ``again``, a new numbered re-publication of it)."""
    existing = ctx.store.get(occurrence.key)
    if existing is not None and not again:
        raise JadwalError(
            _("{key} is already {state}").format(key=occurrence.key, state=existing.state)
            + (f" ({existing.permalink})" if existing.permalink else "")
            + _("; add --again to publish it once more")
        )
    number = 0
    while ctx.store.get(replace(occurrence, again=number).key) is not None:
        number += 1
    chosen = replace(occurrence, again=number)
    if not ctx.store.claim(chosen, ctx.owner, now):
        raise JadwalError(
            _("{key} was just claimed by another publisher; nothing sent").format(key=chosen.key)
        )
    return chosen


def publish_now(ctx: Context, occurrences: list[Occurrence], now: datetime, again: bool) -> Report:
    refuse_drafts(occurrences)  # again here, for every caller: nothing of a draft is claimed
    report = Report()
    for occurrence in occurrences:
        claimed = claim_manual(ctx, occurrence, now, again)
        report.add(publish_claimed(ctx, claimed))
    return report
