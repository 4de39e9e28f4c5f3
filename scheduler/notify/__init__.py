"""Telling a person: notifications through Apprise, from a queue kept in the store.

``notify_once`` is what ``tick`` (after publishing) and the daemon's notifier thread run:
``reminders`` turns each publication awaiting a person into its reminder, ``events.collect``
finds what the store recorded that a ``notify`` entry wants, each enqueued once
(``scheduler.store.outbox``), ``digest`` adds the daily digest at its time, and
``send.send_due`` sends what is due. A dry run tells nobody: ``reminders.rehearse`` writes
its reminders into the dry-run folder instead. Nothing here is called before a
publication's state is recorded, and nothing here can fail a publication: a service that
hangs costs the notifier its timeout, not the publisher.

Modules: ``messages`` (every text), ``compose`` (bodies from rows), ``outgoing`` (one
message per entry, secrets cleared), ``reminders`` and ``parts`` (what a service carries, a
body in numbered parts), ``events``, ``digest``, ``send``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from scheduler.calendar.model import Calendar
from scheduler.notify.digest import collect_digest
from scheduler.notify.events import collect
from scheduler.notify.reminders import collect_reminders, rehearse
from scheduler.notify.send import TIMEOUT, deliver, send_due
from scheduler.store import Store
from scheduler.store.outbox import Outbox

__all__ = ["TIMEOUT", "deliver", "notify_once", "outbox_of", "rehearse"]

log = logging.getLogger("jadwal")


def outbox_of(store: Store) -> Outbox:
    return Outbox(store.session)


def notify_once(
    calendar: Calendar, store: Store, owner: str, now: datetime, timeout: float = TIMEOUT
) -> int:
    """Enqueue what is new, then send what is due; how many messages went out."""
    if not calendar.notify:
        return 0
    outbox = outbox_of(store)
    collect_reminders(calendar, store, outbox, now)
    collect(calendar, store, outbox, now)
    collect_digest(calendar, store, outbox, now)
    return send_due(calendar, outbox, owner, now, timeout)
