"""Sending the queue through Apprise, after the state was recorded and never in the way of a
publication: each message is claimed (``Outbox.take``), sent with short socket timeouts,
and settled — sent, queued again with a growing delay, or failed after its last try.
What the service answered is kept (without its URL or any secret) for ``jadwal notify``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from scheduler.calendar.model import Calendar
from scheduler.calendar.secrets import secrets_of
from scheduler.i18n import N_, _
from scheduler.notify import messages as m
from scheduler.secrets import environment, scrub
from scheduler.store.outbox import Outbox
from scheduler.store.tables import NotifyMessage

log = logging.getLogger("jadwal")

TIMEOUT = 5.0  # seconds per connect and per read: a hanging service costs one message this
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=30)
GIVE_UP = timedelta(days=1)  # a message older than this is stale news: failed, not sent late

# What a service answered, as jadwal notify and jadwal notify test show it; after "sent" or
# before nothing, Apprise's own last line (its words, in English).
UNKNOWN_URL = N_("Apprise does not know this URL: check its scheme and parts")
SENT = N_("sent")
SENT_SAID = N_("sent ({said})")
NOT_SENT = N_("not sent")


@dataclass(frozen=True)
class Answer:
    ok: bool
    text: str


def deliver(url: str, title: str, body: str, attach: Sequence[Path], timeout: float) -> Answer:
    """Send one message to ``url`` (with the files ``attach``, where the service carries
    attachments); what the service answered, in Apprise's words."""
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return Answer(False, _(UNKNOWN_URL))
    plugin.socket_connect_timeout = timeout
    plugin.socket_read_timeout = timeout
    files = apprise.AppriseAttachment([str(path) for path in attach]) if attach else None
    capture = apprise.LogCapture(level=logging.INFO, fmt="%(message)s")  # type: ignore[no-untyped-call]
    with capture as output:
        try:
            # Every body is plain text: said so, Apprise escapes it for the services that
            # take HTML (e-mail, Telegram) instead of reading it as HTML, which loses its
            # line breaks (an e-mail's text part would be one line).
            text = apprise.NotifyFormat.TEXT
            ok = bool(plugin.notify(body=body, title=title, attach=files, body_format=text))
        except Exception as exc:  # Apprise raises for what it can't send (no body, disabled)
            ok = False
            # Kept in the answer, which is scrubbed of the URL and every secret before it is
            # stored or shown; never logged here, where it could still carry the URL.
            output.write(f"{exc}\n")
    lines = [line for line in output.getvalue().splitlines() if line.strip()]
    said = lines[-1] if lines else ""
    if ok:
        return Answer(True, _(SENT_SAID).format(said=said) if said else _(SENT))
    return Answer(False, said or _(NOT_SENT))


def send_due(
    calendar: Calendar, outbox: Outbox, owner: str, now: datetime, timeout: float = TIMEOUT
) -> int:
    """Send what is due in the queue; how many messages went out."""
    env = environment(calendar.folder)
    secrets = secrets_of(calendar)
    sent = 0
    for message in outbox.take(owner, now):
        answer = _send_one(calendar, env, message, timeout)
        text = scrub(answer.text, secrets)
        sent += _settle(outbox, message, owner, now, answer.ok, text)
    return sent


def _send_one(
    calendar: Calendar, env: dict[str, str], message: NotifyMessage, timeout: float
) -> Answer:
    url = env.get(message.target)
    if url is None:
        return Answer(False, _(m.NOT_SET).format(target=f"${{{message.target}}}"))
    # One file of the calendar's folder a line (a reminder's media, as prepared).
    attach = [calendar.folder / name for name in (message.attach or "").splitlines()]
    return deliver(url, message.title, message.body, attach, timeout)


def _settle(
    outbox: Outbox, message: NotifyMessage, owner: str, now: datetime, ok: bool, text: str
) -> int:
    assert message.id is not None
    if ok:
        outbox.sent(message.id, owner, now, text)
        log.info(_("notified {target}: {title}").format(target=message.target, title=message.title))
        return 1
    if now - message.created_at >= GIVE_UP:
        outbox.give_up(message.id, owner, text)
        said = _("notification to {target} failed for good: {why}")
        log.error(said.format(target=message.target, why=text))
        return 0
    delay = min(MAX_DELAY, FIRST_DELAY * (2**message.tries))
    outbox.again(message.id, owner, now + delay, text)
    said = _("notification to {target} not sent ({why}); next try in {seconds}s")
    log.warning(said.format(target=message.target, why=text, seconds=int(delay.total_seconds())))
    return 0
