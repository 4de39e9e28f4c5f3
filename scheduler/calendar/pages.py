"""Where the static site (``jadwal site``) puts each post's page, and its address once the
site is published at ``site.url``: the one naming rule the site and the reminders share.

A page is one post at one moment (its accounts together), named by the post's id and its
UTC time to the second, ``post/rapat-desa-20261205T020000Z.html``: stable across runs, and
found from an occurrence's key alone (``POST/ACCOUNT/STAMP``), so a reminder read in a chat
links the page that shows the post's captions and media.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scheduler.calendar.expand import key_post_and_time
from scheduler.calendar.model import Calendar

POSTS_FOLDER = "post"


def page_slug(post_id: str, at: datetime) -> str:
    """A post's page name at ``at``: its id and its UTC time to the second."""
    return f"{post_id}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def post_page(post_id: str, at: datetime) -> str:
    """The page's path inside the site's folder, with ``/``."""
    return f"{POSTS_FOLDER}/{page_slug(post_id, at)}.html"


def post_page_url(calendar: Calendar, key: str) -> str | None:
    """The address of the page of the occurrence ``key``; None without ``site.url``."""
    found = key_post_and_time(key)
    if calendar.site_url is None or found is None:
        return None
    return f"{calendar.site_url.rstrip('/')}/{post_page(*found)}"
