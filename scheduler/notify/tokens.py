"""``token_expiring``: an Instagram Login token that expires within two weeks, has expired, or
whose refresh failed, told once per token (its expiry is the subject), and listed in the
daily digest. Read from the token file jadwal keeps (``adapters.graph.iglogin``): no network.

Page tokens and instagrapi sessions have no expiry jadwal can read: a dead one pauses the
account, which ``paused`` tells.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from scheduler.calendar.model import Calendar
from scheduler.i18n import _
from scheduler.notify import compose
from scheduler.notify import messages as m
from scheduler.notify.outgoing import outgoing
from scheduler.store.outbox import Outbox

if TYPE_CHECKING:
    from scheduler.adapters.graph.iglogin import TokenNotice


def notices(calendar: Calendar, now: datetime) -> list[tuple[str, TokenNotice]]:
    """Each ``instagram_login`` account's token worth a person's look, by account name."""
    if not any(a.route == "instagram:login" for a in calendar.accounts.values()):
        return []  # and the platform libraries stay unimported: a quiet run stays quick
    from scheduler.adapters.graph.iglogin import token_notice

    found = []
    for account in calendar.accounts.values():
        if account.route == "instagram:login":
            notice = token_notice(calendar, account, now)
            if notice is not None:
                found.append((account.name, notice))
    return found


def collect_tokens(calendar: Calendar, outbox: Outbox, now: datetime) -> int:
    found = notices(calendar, now)
    told = outbox.marked("token_expiring", [notice.subject for _, notice in found])
    queued = 0
    for account, notice in found:
        if notice.subject in told:
            continue
        title, body = token_message(calendar, account, notice)
        messages = outgoing(calendar, "token_expiring", title, body, now)
        if messages and outbox.enqueue("token_expiring", [notice.subject], messages, now):
            queued += len(messages)
    return queued


def token_message(calendar: Calendar, account: str, notice: TokenNotice) -> tuple[str, str]:
    when = _(m.TOKEN_EXPIRED) if notice.expired else _(m.TOKEN_SOON)
    step = _(m.TOKEN_STEPS[notice.expired]).format(account=account)
    body = "\n".join(
        [
            m.HEADER.format(office=compose.office(calendar), account=account, platform="instagram"),
            notice.text,
            _(m.NEXT).format(step=step),
        ]
    )
    return compose.title(calendar, "token_expiring", account=account, when=when), body


def digest_lines(calendar: Calendar, now: datetime) -> list[str]:
    found = notices(calendar, now)
    if not found:
        return []
    lines = ["", _(m.DIGEST_TOKENS)]
    return lines + [m.DIGEST_TOKEN.format(account=a, text=n.text) for a, n in found]
