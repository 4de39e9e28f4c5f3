"""Reminders to post by hand: each ``awaiting`` publication (``platform: whatsapp``) becomes
its reminder, once, for every ``notify`` entry with ``reminder`` in its ``on``.

The record comes first and the reminder from it, as every event here: the engine records the
post ``awaiting`` and sends nothing; whoever looks next (the notifier, ``tick`` after
publishing) enqueues the reminder with its mark in one transaction (``Outbox.enqueue``). A
process killed between the record and the reminder leaves an awaiting row without a mark,
which the next look reminds of; two processes find one mark, so nobody is reminded twice.

Each entry gets what its service can carry (``parts.service_of``): the caption whole and the
media attached (e-mail, Telegram, Discord…); where it has no attachments (Apprise's
WhatsApp), a link to the post's page on the site (``site.url``), or where the media is in the
calendar's folder, and the body cut into numbered parts that fit the service. The caption is
rendered again from the calendar, as the engine rendered it, and the media prepared again
(the copies are cached by their bytes, so nothing is converted twice).

A dry run reminds nobody: ``rehearse`` writes the reminders it would send beside the dry-run
posts, ``.jadwal/dryrun/DATE/KEY.reminder.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scheduler.adapters.base import Draft
from scheduler.adapters.byhand import prepared
from scheduler.adapters.dryrun import post_file
from scheduler.calendar.expand import Occurrence, find_occurrence
from scheduler.calendar.model import Calendar, Notify
from scheduler.calendar.pages import post_page_url
from scheduler.calendar.secrets import secrets_of
from scheduler.errors import PublishError
from scheduler.files import write_atomic
from scheduler.i18n import _
from scheduler.notify import compose
from scheduler.notify import messages as m
from scheduler.notify.outgoing import message
from scheduler.notify.parts import Service, in_parts, service_of
from scheduler.render import Renderer, RenderError
from scheduler.secrets import environment, scrub
from scheduler.store import Publication, Store, local_time
from scheduler.store.outbox import Outbox
from scheduler.store.tables import NotifyMessage

EVENT = "reminder"


@dataclass(frozen=True)
class Post:
    """What a reminder says of one awaiting publication: its caption and its media, as
    written in the calendar (``shown``) and as prepared for the platform (``files``)."""

    row: Publication
    occurrence: Occurrence
    caption: str
    shown: tuple[str, ...]
    files: tuple[Path, ...]


def collect_reminders(calendar: Calendar, store: Store, outbox: Outbox, now: datetime) -> int:
    """Enqueue the reminder of every awaiting publication not reminded of yet; how many
    messages."""
    entries = [entry for entry in calendar.notify if EVENT in entry.events]
    if not entries:
        return 0
    rows = store.by_hand.awaiting()
    told = outbox.marked(EVENT, [row.key for row in rows])
    queued = 0
    for row in rows:
        if row.key in told:
            continue
        post = post_of(calendar, row, calendar.media_cache_dir)
        # A post that left the calendar is marked with no message: nothing to post.
        messages = [] if post is None else reminders(calendar, post, entries, now)
        if outbox.enqueue(EVENT, [row.key], messages, now):
            queued += len(messages)
    return queued


def post_of(calendar: Calendar, row: Publication, cache: Path) -> Post | None:
    """The awaiting row's post, rendered and prepared now; None when it left the calendar."""
    occurrence = find_occurrence(calendar, row.key)
    if occurrence is None:
        return None
    shown = tuple(ref.path for ref in occurrence.post.media)
    try:
        caption = Renderer(calendar).render(occurrence)
    except RenderError as exc:
        caption = _(m.REMINDER_NO_CAPTION).format(problem=exc.problem.message)
        return Post(row, occurrence, caption, shown, ())
    media = tuple(calendar.folder / name for name in shown)
    draft = Draft(row.key, row.post_id, row.account, row.platform, occurrence.at, caption, media)
    try:
        files = tuple(prepared(calendar, occurrence.account, draft, cache))
    except PublishError:  # a file that can't be prepared now: the person takes the original
        files = media
    return Post(row, occurrence, caption, shown, files)


def reminders(
    calendar: Calendar, post: Post, entries: list[Notify], now: datetime
) -> list[NotifyMessage]:
    """The messages for each entry: one, or its numbered parts where the service needs."""
    env = environment(calendar.folder)
    secrets = secrets_of(calendar)
    made = []
    for entry in entries:
        service = service_of(env.get(entry.variable))
        title, parts, attach = compose_reminder(calendar, post, service)
        for number, part in enumerate(parts):
            files = attach if number == 0 else None  # the media once, with the first part
            made.append(message(entry.variable, EVENT, title, part, now, secrets, files))
    return made


def compose_reminder(
    calendar: Calendar, post: Post, service: Service
) -> tuple[str, list[str], str | None]:
    """The title, the body (in parts where the service needs them) and the files to attach
    (one a line, relative to the calendar's folder) of one reminder."""
    row, tz = post.row, calendar.timezone
    account = post.occurrence.account
    when = local_time(row.scheduled_at, tz)
    title = compose.title(calendar, EVENT, account=account.name, post=row.post_id, time=when)
    attach = service.attachments and bool(post.files)
    office = compose.office(calendar)
    where = account.channel or account.name
    lines = [
        m.HEADER.format(office=office, account=account.name, platform=account.platform),
        _(m.REMINDER_INTRO).format(where=where, time=when, post=row.post_id),
        _media_line(calendar, post, attach),
    ]
    if post.occurrence.post.link:
        lines.append(_(m.REMINDER_LINK).format(link=post.occurrence.post.link))
    lines += [_(m.REMINDER_DONE).format(key=row.key), "", post.caption]
    body = "\n".join(lines)
    if not service.titles:  # Apprise would put the title into the body, past its limit
        title, body = "", f"{title}\n{body}"
    files = "\n".join(_relative(calendar, path) for path in post.files) if attach else None
    return title, in_parts(body, service.body_max), files


def _media_line(calendar: Calendar, post: Post, attached: bool) -> str:
    files = ", ".join(post.shown)
    if not post.shown:
        return _(m.NO_MEDIA)
    if attached:
        return _(m.REMINDER_ATTACHED).format(files=files)
    url = post_page_url(calendar, post.row.key)
    if url is not None:
        return _(m.REMINDER_PAGE).format(url=url, files=files)
    return _(m.REMINDER_FOLDER).format(files=files)


def _relative(calendar: Calendar, path: Path) -> str:
    try:
        return path.resolve().relative_to(calendar.folder.resolve()).as_posix()
    except ValueError:
        return str(path)


def rehearse(calendar: Calendar, store: Store, folder: Path) -> int:
    """A dry run's reminders, written beside its posts instead of sent (each once, cleared
    of secrets like a sent one); how many files."""
    entries = [entry for entry in calendar.notify if EVENT in entry.events]
    env = environment(calendar.folder)
    written = 0
    for row in store.by_hand.awaiting():
        at = row.scheduled_at.astimezone(calendar.timezone)
        path = post_file(folder, row.key, at).with_suffix(".reminder.txt")
        post = None if path.exists() else post_of(calendar, row, folder / "media")
        if post is None:
            continue
        texts = [_rehearsed(calendar, post, entry, service_of(env.get(entry.variable)))
                 for entry in entries]  # fmt: skip
        text = scrub("\n".join(texts), secrets_of(calendar))
        write_atomic(path, text.encode("utf-8"))
        written += 1
    return written


def _rehearsed(calendar: Calendar, post: Post, entry: Notify, service: Service) -> str:
    title, parts, attach = compose_reminder(calendar, post, service)
    files = _(m.REHEARSED_ATTACHED).format(files=", ".join(attach.splitlines())) if attach else ""
    shown = title or _(m.NO_TITLE)
    said = "".join(f"\n--- {shown}\n{part}\n" for part in parts)
    return _(m.REHEARSED_TO).format(target=f"${{{entry.variable}}}") + files + said
