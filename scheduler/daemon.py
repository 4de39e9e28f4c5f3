"""``jadwal daemon``: APScheduler wakes the engine at the right moments.

APScheduler holds nothing that matters: one one-shot job, at the next moment an approved
occurrence is due, calls ``publish_due`` (and first plans the moment after it, so a slow
publication never holds up the next one), and a sweep every minute calls it too (and, while
a connection is lost, a wake-up when its check is due), so a missed
wake-up, a restart or a second daemon changes nothing — the store decides. One job for the
next moment, not one per occurrence: a calendar with 10,000 occurrences in the next day and a
half costs the scheduler nothing. Late jobs still run within the calendar's grace period
(APScheduler's default ``misfire_grace_time`` of one second would silently drop them).

Insights are collected by their own job (``INSIGHT_SECONDS``) that yields to publishing: it
does not start while a sweep runs or a publication is due within ``INSIGHT_MARGIN``, and
stops between accounts when one comes due; whatever goes wrong in it is logged and stays
there (``scheduler.insights``).

The daemon reloads when ``calendar.yaml``, a template or ``.env`` changes, keeping the last
good calendar when the new one has errors (each reload is a new engine ``Context`` from
``make_context``; they all share the process's ``Publisher``, so a run started before the
reload keeps its place in each account's queue), and stops on SIGTERM/SIGINT once the
publication in flight is recorded. SIGTERM is how systemd, docker and kill stop a service:
the daemon did what it was asked, and ``run`` returns (exit 0). SIGINT is a person's Ctrl-C:
after the same clean stop ``run`` raises ``KeyboardInterrupt``, which the command line's
boundary reports as interrupted (exit 130, as for every other command).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from types import FrameType

from scheduler.calendar.load import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.engine import Context, publish_due
from scheduler.errors import CalendarError, StoreError
from scheduler.files import FileStamp, file_stamp
from scheduler.i18n import _

log = logging.getLogger("jadwal")

HORIZON = timedelta(hours=36)
SWEEP_SECONDS = 60
WATCH_SECONDS = 2.0
PLAN_SECONDS = 3600
WAKE_PREFIX = "wake:"
NOTIFY_SECONDS = 5.0  # how often the notifier looks for what to tell and sends it
INSIGHT_SECONDS = 900  # how often the insights that are due are read
INSIGHT_MARGIN = timedelta(minutes=5)  # no reads when a publication is due this soon


def watched_files(calendar_path: Path) -> dict[Path, FileStamp | None]:
    """What a reload depends on (the calendar, ``.env``, every template, in subfolders too),
    each with its stamp (``scheduler.files.file_stamp``)."""
    folder = calendar_path.resolve().parent
    paths = [calendar_path, folder / ".env", *sorted((folder / "templates").rglob("*.j2"))]
    return {path: file_stamp(path) for path in paths}


class Daemon:
    insight_seconds: float = INSIGHT_SECONDS

    def __init__(
        self,
        calendar_path: Path,
        calendar: Calendar,
        make_context: Callable[[Calendar], Context],
        sweep_seconds: float = SWEEP_SECONDS,
        watch_seconds: float = WATCH_SECONDS,
        horizon: timedelta = HORIZON,
        notify: bool = True,
        rehearsal: Path | None = None,
        refresh: Callable[[Context], None] | None = None,
        insights: bool = True,
    ) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler

        self.calendar_path = calendar_path
        self.make_context = make_context
        self.sweep_seconds = sweep_seconds
        self.watch_seconds = watch_seconds
        self.horizon = horizon
        self.notify = notify  # off in a dry run: a rehearsal tells nobody
        self.rehearsal = rehearsal  # a dry run's folder: its reminders are written there
        # What is redrawn after a sweep that published (the static site), in its own thread.
        self.refresh = refresh
        self.insights = insights  # off in a dry run: a rehearsal contacts nobody
        self._sweeping = threading.Event()
        self._refresh_wanted = threading.Event()
        self._refreshing = threading.Lock()
        self.stamps = watched_files(calendar_path)
        self.ctx = make_context(calendar)
        self.scheduler = BlockingScheduler(
            timezone=self.ctx.calendar.timezone,
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self.stopping = threading.Event()
        self.store_failed: StoreError | None = None
        self.stopped_by: int | None = None  # the signal that stopped it

    @property
    def grace_seconds(self) -> int:
        return int(self.ctx.calendar.rules.grace.total_seconds())

    def run(self) -> None:
        """Block until a signal (or a broken store) stops the daemon."""
        from apscheduler.triggers.interval import IntervalTrigger

        self.ctx.store.release_dead_claims(self.ctx.clock(), owner=self.ctx.owner)
        now = datetime.now(UTC)
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=self.sweep_seconds),
            id="sweep",
            next_run_time=now,
            misfire_grace_time=self.sweep_seconds,
        )
        self.scheduler.add_job(
            self.watch,
            IntervalTrigger(seconds=self.watch_seconds),
            id="watch",
            misfire_grace_time=None,
        )
        self.scheduler.add_job(
            self.plan, IntervalTrigger(seconds=PLAN_SECONDS), id="plan", misfire_grace_time=None
        )
        self._plan_insights(now)
        self.plan()
        self._start_notifier()
        self.redraw()  # the site as the daemon finds things, before anything is due
        self._install_signals()
        self._log_start()
        self.scheduler.start()
        if self.store_failed is not None:
            raise self.store_failed
        log.info(_("stopped"))
        if self.stopped_by == signal.SIGINT:
            raise KeyboardInterrupt  # after the clean stop: Ctrl-C ends with 130

    def _log_start(self) -> None:
        calendar = self.ctx.calendar
        started = _(
            "started: {calendar}, {posts} posts, {accounts} accounts, owner {owner}, store {store}"
        )
        log.info(
            started.format(
                calendar=self.calendar_path,
                posts=len(calendar.posts),
                accounts=len(calendar.accounts),
                owner=self.ctx.owner,
                store=self.ctx.store.engine.url.render_as_string(hide_password=True),
            )
        )

    def _install_signals(self) -> None:
        def stop(signum: int, _frame: FrameType | None) -> None:
            stopping = _("stopping ({signal}): finishing the publication in flight")
            log.info(stopping.format(signal=signal.Signals(signum).name))
            self.stopped_by = self.stopped_by or signum
            self.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def stop(self) -> None:
        if not self.stopping.is_set():
            self.stopping.set()
            # wait=True: the job running now finishes and records its outcome first.
            threading.Thread(
                target=self.scheduler.shutdown, kwargs={"wait": True}, daemon=True
            ).start()

    def _start_notifier(self) -> None:
        if self.notify or self.rehearsal is not None:
            threading.Thread(target=self.notifier, name="notify", daemon=True).start()

    def notifier(self) -> None:
        """Its own thread: a notification service that hangs never holds up a sweep."""
        from scheduler.notify import notify_once, rehearse

        while not self.stopping.wait(NOTIFY_SECONDS):
            ctx = self.ctx
            try:
                if self.rehearsal is not None:
                    rehearse(ctx.calendar, ctx.store, self.rehearsal)
                else:
                    notify_once(ctx.calendar, ctx.store, ctx.owner, ctx.clock())
            except Exception:  # never the publisher's problem: the queue keeps it
                log.exception(_("notifications could not be sent; they stay queued"))

    def _plan_insights(self, now: datetime) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        if self.insights:
            self.scheduler.add_job(
                self.collect_insights,
                IntervalTrigger(seconds=self.insight_seconds),
                id="insights",
                next_run_time=now + timedelta(seconds=min(60.0, self.insight_seconds)),
                misfire_grace_time=None,
            )

    def collect_insights(self) -> None:
        """Read the insights that are due, after publishing and never in its way."""
        from scheduler.insights.collect import collect

        if self._publishing_soon():
            return
        ctx = self.ctx
        try:
            summary = collect(
                ctx.calendar,
                ctx.store,
                ctx.adapter_for,
                ctx.owner,
                ctx.clock,
                keep_going=lambda: not self._publishing_soon(),
            )
        except Exception:  # never the publisher's problem: what is due is read next time
            log.exception(_("insights could not be collected; publishing goes on"))
            return
        if summary.accounts:
            log.info(_("insights: {summary}").format(summary=summary.text()))

    def _publishing_soon(self) -> bool:
        """A sweep runs, or an approved post is due within ``INSIGHT_MARGIN``."""
        if self.stopping.is_set() or self._sweeping.is_set():
            return True
        now = self.ctx.clock()
        due = self.ctx.occurrences(now, now + INSIGHT_MARGIN)
        return any(o.post.status == "approved" for o in due)

    def sweep(self) -> None:
        if self.stopping.is_set():
            return
        self._sweeping.set()
        try:
            report = publish_due(self.ctx)
        except StoreError as exc:
            # Never publish without a record: stop rather than carry on blind.
            log.error(_("stopping: {error}").format(error=exc))
            self.store_failed = exc
            self.stop()
            return
        finally:
            self._sweeping.clear()
        if report.counts:
            log.info(_("sweep: {summary}").format(summary=report.summary()))
            self.redraw()
        self.plan_check(report.come_back_at)

    def redraw(self) -> None:
        """Refresh what shows the posts (the site), away from the sweep: one at a time, and
        a request made while one runs is served by one more run after it."""
        if self.refresh is None:
            return
        self._refresh_wanted.set()
        threading.Thread(target=self._redraw, name="refresh", daemon=True).start()

    def _redraw(self) -> None:
        assert self.refresh is not None
        with self._refreshing:
            while self._refresh_wanted.is_set() and not self.stopping.is_set():
                self._refresh_wanted.clear()
                try:
                    self.refresh(self.ctx)
                except Exception:  # never the publisher's problem
                    log.exception(_("the refresh after publishing failed; publishing goes on"))

    def plan_check(self, come_back_at: datetime | None = None) -> None:
        """Wake before the next sweep when something is due sooner: while an endpoint is
        offline, when its connection check is due (the posts that waited go out within a
        minute of its return); and when a post left unknown after a crash may be looked up
        (``come_back_at``: its upload has had time to arrive)."""
        from apscheduler.triggers.date import DateTrigger

        due = [c.next_check_at for c in self.ctx.store.connections.offline().values()]
        moment = min((d for d in [*due, come_back_at] if d is not None), default=None)
        if moment is None or self.stopping.is_set():
            return
        self.scheduler.add_job(
            self.sweep,
            DateTrigger(run_date=max(moment, datetime.now(UTC))),
            id="check",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def plan(self, after: datetime | None = None) -> None:
        """Schedule the one wake-up needed next: the first approved occurrence after
        ``after`` (default: now) inside the horizon; the sweep covers the rest."""
        from apscheduler.triggers.date import DateTrigger

        now = datetime.now(UTC)
        moment = self._next_moment(after or now, now + self.horizon)
        wanted = None if moment is None else WAKE_PREFIX + moment.isoformat()
        for job in self.scheduler.get_jobs():
            if job.id.startswith(WAKE_PREFIX) and job.id != wanted:
                job.remove()
        if moment is not None:
            self.scheduler.add_job(
                self.wake,
                DateTrigger(run_date=moment),
                args=[moment],
                id=wanted,
                replace_existing=True,
                misfire_grace_time=self.grace_seconds,
            )

    def _next_moment(self, after: datetime, until: datetime) -> datetime | None:
        due = self.ctx.occurrences(after, until)  # in time order
        return next((o.at for o in due if o.at > after and o.post.status == "approved"), None)

    def wake(self, moment: datetime) -> None:
        # The next moment first: this one's publications may take a while.
        self.plan(after=moment)
        self.sweep()

    def watch(self) -> None:
        stamps = watched_files(self.calendar_path)
        if stamps == self.stamps:
            return
        self.stamps = stamps
        self.reload()

    def reload(self) -> None:
        try:
            calendar = load_calendar(self.calendar_path)
            ctx = self.make_context(calendar)  # compiles the templates: errors refuse it too
        except CalendarError as exc:
            for problem in exc.problems:
                log.error(_("reload refused: {problem}").format(problem=problem))
            log.error(_("keeping the last good calendar until the file is fixed"))
            return
        self.ctx = ctx
        self.plan()
        reloaded = _("reloaded: {posts} posts, {accounts} accounts")
        log.info(reloaded.format(posts=len(calendar.posts), accounts=len(calendar.accounts)))


class LocalTime(logging.Formatter):
    """Each line's time in the calendar's zone, with the zone's name (``2026-12-05 09:00:03
    WIB``): operators compare the log with the calendar, which is in local time. Until a
    calendar is loaded (and for a calendar without a zone) it is the machine's local time."""

    zone: tzinfo | None = None

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.zone or UTC)
        if self.zone is None:
            moment = moment.astimezone()
        return f"{moment:%Y-%m-%d %H:%M:%S %Z}"


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(LocalTime("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger("jadwal")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # APScheduler logs every job run at INFO; only its warnings matter to an operator.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def log_in_zone(zone: tzinfo) -> None:
    """From now on, log lines carry the time in ``zone`` (the calendar's)."""
    LocalTime.zone = zone
