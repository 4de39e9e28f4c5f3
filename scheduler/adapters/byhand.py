"""The adapter of the channels without a posting API (``platform: whatsapp``): a person posts.

``publish`` takes the real path up to where another adapter would send: the platform rules'
verdict (a post ``check`` refuses is refused here too) and the media prepared for the
platform. It sends nothing and returns ``Handed``; the engine records the publication
``awaiting``, and the notifier reminds the operator from that record, once
(``scheduler.notify.reminders``, which prepares the same files with ``prepared``).

An interrupted attempt (``unknown`` after a crash) is looked up as "not published": no
reminder is made before the row is ``awaiting``, so nothing can have gone out, and the
occurrence is claimed again and reminded once.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.adapters.base import CheckResult, Draft, Handed, Lookup, Progress, verdict
from scheduler.calendar.model import Account, Calendar
from scheduler.i18n import N_, _
from scheduler.platforms.images import prepare_media

NOT_SENT = N_("posted by hand: nothing is sent before the reminder, which comes after the record")


def prepared(calendar: Calendar, account: Account, draft: Draft, cache: Path) -> list[Path]:
    """The draft's media as the platform takes it (converted copies in ``cache``)."""
    return prepare_media(verdict(calendar, account, draft).media, cache)


class ByHandAdapter:
    def __init__(self, calendar: Calendar, account: Account) -> None:
        self.calendar = calendar
        self.account = account

    def publish(self, draft: Draft, progress: Progress) -> Handed:
        media = prepared(self.calendar, self.account, draft, self.calendar.media_cache_dir)
        progress.confirm()  # still ours: the record that follows is what reminds the person
        return Handed(tuple(media))

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        return Lookup("not_published", detail=_(NOT_SENT))

    def check(self) -> list[CheckResult]:
        where = self.account.channel or self.account.name
        said = _("{where} is posted to by hand: jadwal reminds the operator through notify")
        return [CheckResult("by hand", True, said.format(where=where))]
