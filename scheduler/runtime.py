"""Wiring shared by ``daemon``, ``tick``, ``post``, ``history`` and ``resolve``.

Turns command-line choices (calendar path, ``--db``, ``--dry-run``) into an engine
``Context``: the right database (dry runs always use their own), the adapters, an owner
name for claims that is stable across restarts of the same daemon, and for the daemon one
``Publisher`` that every reloaded calendar's context shares.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from scheduler.database import database_url, existing_store, open_store, state_dir
from scheduler.errors import JadwalError
from scheduler.i18n import _

if TYPE_CHECKING:  # the engine and the store (SQLAlchemy) only for what publishes: ``site``
    # and ``ical`` come here for their options and, when there is a history, its store
    from scheduler.calendar.model import Calendar
    from scheduler.engine import Context, Publisher, Report
    from scheduler.store import Store

log = logging.getLogger("jadwal")


@dataclass(frozen=True)
class Options:
    calendar_path: Path
    db: str | None = None
    dry_run: bool = False

    @property
    def state(self) -> Path:
        return state_dir(self.calendar_path)

    @property
    def dry_run_folder(self) -> Path:
        return self.state / "dryrun"

    @property
    def url(self) -> str:
        return database_url(self.calendar_path, self.db, self.dry_run)


def open_options_store(options: Options) -> Store:
    return open_store(options.url)


def existing_options_store(options: Options) -> Store | None:
    """The store, or None when there is no database yet (nothing has been recorded)."""
    return existing_store(options.url)


def make_context(
    calendar: Calendar,
    store: Store,
    options: Options,
    owner: str,
    publisher: Publisher | None = None,
) -> Context:
    from scheduler.adapters import adapter_factory
    from scheduler.daemon import log_in_zone
    from scheduler.engine import Context, Publisher

    log_in_zone(calendar.timezone)  # every run and every reload passes here
    folder = options.dry_run_folder if options.dry_run else None
    return Context(
        calendar=calendar,
        store=store,
        owner=owner,
        adapter_for=adapter_factory(calendar, folder),
        publisher=publisher or Publisher(),
    )


def owner_name(role: str, instance: str | None = None) -> str:
    """``host:daemon`` (stable, so a restarted daemon recognises its own claims) or
    ``host:tick:PID`` for short-lived runs."""
    host = socket.gethostname()
    if role == "daemon":
        return f"{host}:daemon" + (f":{instance}" if instance else "")
    return f"{host}:{role}:{os.getpid()}"


class InstanceLock:
    """One daemon per owner name on a machine: a second one would settle the first one's
    claims as dead. Held for the daemon's lifetime; released by the OS if it crashes."""

    def __init__(self, folder: Path, owner: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        safe = owner.replace(":", "_").replace("/", "_")
        self.path = folder / f"{safe}.lock"
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+")  # noqa: SIM115 - held open for the daemon's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "?"
            handle.close()
            raise JadwalError(
                _(
                    "another jadwal daemon (pid {pid}) is already running for this calendar on "
                    "this machine; stop it first, or give each one its own --instance NAME"
                ).format(pid=pid)
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def load_for_publishing(options: Options, owner: str) -> Context:
    from scheduler.calendar.load import load_calendar

    calendar = load_calendar(options.calendar_path)
    return make_context(calendar, open_options_store(options), options, owner)


def tick(
    options: Options,
    pretend: datetime | None = None,
    refresh: Callable[[Context], None] | None = None,
) -> Report:
    """One ``publish_due`` for cron: claims make a second, overlapping tick harmless.

    ``pretend`` (dry runs only) is the moment to act as if it were now; after a run that
    published something, the notifications, then ``refresh`` (the static site).
    """
    from scheduler.engine import publish_due

    ctx = load_for_publishing(options, owner_name("tick"))
    if pretend is not None:
        ctx.clock = lambda: pretend
    report = publish_due(ctx, pretend)
    if options.dry_run:  # a rehearsal tells nobody: its reminders are written, not sent
        rehearse_reminders(ctx, options.dry_run_folder)
    elif pretend is None:
        _notify_after(ctx)
        if refresh is not None and report.counts:
            try:
                refresh(ctx)
            except Exception:  # a picture of the posts must not fail the tick that sent them
                log.exception(_("the refresh after publishing failed"))
    return report


def rehearse_reminders(ctx: Context, folder: Path) -> None:
    """A dry run's reminders to post by hand, written into its folder beside its posts."""
    from scheduler.notify import rehearse

    rehearse(ctx.calendar, ctx.store, folder)


def _notify_after(ctx: Context) -> None:
    """After publishing, never before: what was recorded is told (a notification service
    that hangs costs its short timeout here, once every post of this tick is out)."""
    from scheduler.notify import notify_once

    try:
        notify_once(ctx.calendar, ctx.store, ctx.owner, ctx.clock())
    except Exception:  # a notifier bug must not turn a good tick into a failed one
        log.exception(_("notifications could not be sent; they stay queued"))


def run_daemon(
    options: Options, instance: str | None, refresh: Callable[[Context], None] | None = None
) -> None:
    from scheduler.calendar.load import load_calendar
    from scheduler.daemon import Daemon
    from scheduler.engine import Publisher

    owner = owner_name("daemon", instance)
    lock = InstanceLock(options.state, owner)
    lock.acquire()
    try:
        calendar = load_calendar(options.calendar_path)  # fail fast, before the database
        store = open_options_store(options)
        # One for the process: a run started before a reload may still be publishing, and
        # the runs after it must queue behind it, account by account.
        publisher = Publisher()
        daemon = Daemon(
            options.calendar_path,
            calendar,
            lambda loaded: make_context(loaded, store, options, owner, publisher),
            notify=not options.dry_run,
            rehearsal=options.dry_run_folder if options.dry_run else None,
            refresh=refresh,
            insights=not options.dry_run,
        )
        daemon.run()
    finally:
        lock.release()
