"""What a notification service can carry, read from Apprise's own plugin for its URL, and a
body cut into numbered parts that each fit it.

Apprise's plugins declare it (``apprise/plugins/*.py``): ``attachment_support`` (e-mail,
Telegram, Discord and JSON webhooks carry files; WhatsApp's plugin does not),
``body_maxlen`` (WhatsApp's: 1,024 characters; Telegram's 4,096) and ``title_maxlen``
(0 when the service has no title: Apprise then puts the title into the body, where it would
count against the body's length). Apprise's own ``overflow=split`` cuts anywhere and does
not number the parts, so a caption would arrive in pieces a person can't put back in order:
jadwal cuts at paragraphs, lines or words and numbers every part "(1/2)".
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.notify import messages as m

# "(12/12)\n": room kept in each part for its number.
NUMBER_ROOM = 8


@dataclass(frozen=True)
class Service:
    attachments: bool = True
    body_max: int | None = None  # None: nothing worth cutting at
    titles: bool = True


UNKNOWN = Service()  # the URL is not set here: the sender will say so, whole


def service_of(url: str | None) -> Service:
    """What the service at ``url`` carries, as Apprise's plugin for it says."""
    if url is None:
        return UNKNOWN
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return UNKNOWN
    titles = int(plugin.title_maxlen) > 0
    limit = int(plugin.body_maxlen)
    return Service(bool(plugin.attachment_support), limit if limit > 0 else None, titles)


def in_parts(body: str, limit: int | None) -> list[str]:
    """``body`` whole when it fits ``limit``, else its parts, each numbered and within it."""
    if limit is None or len(body) <= limit:
        return [body]
    pieces = _cut(body, max(limit - NUMBER_ROOM, 1))
    total = len(pieces)
    return [
        m.REMINDER_PART.format(number=number, total=total, text=piece)
        for number, piece in enumerate(pieces, 1)
    ]


def _cut(text: str, room: int) -> list[str]:
    pieces = []
    while len(text) > room:
        at = _cut_at(text, room)
        pieces.append(text[:at].rstrip())
        text = text[at:].lstrip()
    return [*pieces, text] if text else pieces


def _cut_at(text: str, room: int) -> int:
    """Where to end a part of at most ``room`` characters: after the last paragraph, line or
    word that fits (in the second half, so that no part is needlessly short), else at
    ``room`` itself."""
    for separator in ("\n\n", "\n", " "):
        at = text.rfind(separator, room // 2, room + 1)
        if at > 0:
            return at
    return room
