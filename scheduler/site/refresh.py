"""Keeping the static site fresh from the publishers: ``site.dir`` in the calendar names the
folder, and ``jadwal tick`` and the daemon rewrite it after a run that published something,
over the default range (last month to three months ahead), with the states just recorded.

A site that can't be written (a full disk, a file in the way) is logged and never stops a
publisher: the posts matter more than their picture. Only the pages whose bytes changed are
written (``site.output``), so a refresh after one post rewrites a handful of files.
"""

from __future__ import annotations

import logging
from datetime import datetime

from scheduler.calendar.model import Calendar
from scheduler.errors import JadwalError
from scheduler.i18n import _, ngettext
from scheduler.site.build import write_site
from scheduler.store import Store
from scheduler.views.ranges import default_range

log = logging.getLogger("jadwal")


def refresh_site(calendar: Calendar, store: Store, now: datetime) -> None:
    """Rewrite the site at ``site.dir`` (nothing when the calendar names none)."""
    if calendar.site_dir is None:
        return
    folder = calendar.folder / calendar.site_dir
    first, last = default_range(calendar.timezone, now)
    try:
        written = write_site(calendar, folder, first, last, store, now)
    except (JadwalError, OSError) as exc:
        log.error(
            _("the site in {folder} was not refreshed: {error}; publishing goes on").format(
                folder=folder, error=exc
            )
        )
        return
    changed = ngettext(
        "site refreshed in {folder}: {count} file changed",
        "site refreshed in {folder}: {count} files changed",
        written.changed,
    )
    log.info(changed.format(folder=folder, count=written.changed))
