"""``jadwal pause`` and ``jadwal resume``: a person's emergency stop of publishing, and lifting it.

A stop is not the automatic pause that follows a login or token error (``jadwal accounts
resume``): only ``jadwal resume`` or the stop's own ``--until`` ends it, and what could have
gone out meanwhile is recorded ``skipped`` with its reason (``scheduler.engine.stops``).
Both commands work while ``calendar.yaml`` has errors, as far as they can without it: an
emergency does not wait for a colleague's half-finished edit.
"""

from __future__ import annotations

import getpass
import socket
import sys
from contextlib import closing
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.calendar.values import parse_datetime
from scheduler.commands import EXIT_OK, OptionError, option_value
from scheduler.engine.stops import resume_command
from scheduler.errors import CalendarError, JadwalError
from scheduler.i18n import N_, _
from scheduler.runtime import Options, existing_options_store, open_options_store
from scheduler.store import Stop, Store, local_time

AFTER = N_(
    "Posts due from now on go out at their time; those skipped during the stop stay skipped "
    "(publish one with 'jadwal post POST_ID --at \"YYYY-MM-DD HH:MM\" --again')."
)


def now() -> datetime:
    """The moment a stop starts or is lifted (a function, so that a test can set it)."""
    return datetime.now(UTC)


def person() -> str:
    """Who is at the keyboard, as the history shows it: ``budi@kominfo-pc``."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def pause(options: Options, account: str | None, until: str | None, reason: str) -> int:
    """Stop publishing for ``account`` (every account, when None) from now until ``until``
    (the calendar's local time) or until ``jadwal resume``."""
    reason = " ".join(reason.split())
    if not reason:
        raise OptionError(
            "--reason", _("say why: the history, the log and every skipped post show it")
        )
    calendar = _calendar(options, needed=account is not None or until is not None)
    tz = _zone(calendar)
    if calendar is not None and account is not None and account not in calendar.accounts:
        raise JadwalError(_("account '{account}' is not in the calendar").format(account=account))
    moment = now()
    end = None if until is None else _until(until, tz, moment)
    with closing(open_options_store(options)) as store:
        stop, replaced = store.stops.add(account, person(), reason, moment, end)
    _say_stopped(stop, replaced, tz)
    return EXIT_OK


def _say_stopped(stop: Stop, replaced: list[Stop], tz: ZoneInfo) -> None:
    print(f"{stop.target}: {stop.describe(tz)}")
    for old in replaced:
        print(_("It replaces the earlier stop ({stop}).").format(stop=old.describe(tz)))
    who = stop.account or _("any account")
    if stop.until:
        said = _(
            "Nothing more is published for {who} until {until}; the daemon and tick honour this "
            "within a minute."
        )
        print(said.format(who=who, until=local_time(stop.until, tz)))
        lifts = _(
            "Posts due meanwhile are recorded as skipped, never sent later; '{command}' lifts the "
            "stop sooner."
        )
    else:
        said = _(
            "Nothing more is published for {who}; the daemon and tick honour this within a minute."
        )
        print(said.format(who=who))
        lifts = _(
            "Posts due meanwhile are recorded as skipped, never sent later; '{command}' lifts the "
            "stop."
        )
    print(lifts.format(command=resume_command(stop)))


def resume(options: Options, account: str | None) -> int:
    """Lift the stop of ``account``, or (when None) the stop of every account; stops of
    single accounts stay until each is lifted by name."""
    calendar = _calendar(options, needed=False)
    tz = _zone(calendar)
    moment = now()
    found = existing_options_store(options)
    if found is None:  # no database yet: nothing was ever stopped, and none is created
        if account is not None and calendar is not None and account not in calendar.accounts:
            raise JadwalError(
                _("account '{account}' is not in the calendar").format(account=account)
            )
        raise JadwalError(
            _("nothing is stopped")
            if account is None
            else _("{account} is not stopped").format(account=account)
        )
    with closing(found) as store:
        lifted = store.stops.lift(account, person(), moment)
        if not lifted:
            raise JadwalError(_not_stopped(store, calendar, account, moment, tz))
        notes = _still_held(store, account, moment, tz)
    for stop in lifted:
        said = _("{target}: resumed; {origin} is lifted ({reason}).")
        print(said.format(target=stop.target, origin=stop.origin(tz), reason=stop.reason))
    for note in notes:
        print(note)
    print(_(AFTER))
    return EXIT_OK


def _calendar(options: Options, needed: bool) -> Calendar | None:
    """The calendar; None when it has errors and the command can do without it."""
    try:
        return load_calendar(options.calendar_path)
    except CalendarError:
        if needed:
            raise
        said = _("note: {name} has errors (see 'jadwal check'); times are shown in UTC")
        print(said.format(name=options.calendar_path.name), file=sys.stderr)
        return None


def _zone(calendar: Calendar | None) -> ZoneInfo:
    return calendar.timezone if calendar is not None else ZoneInfo("UTC")


def _until(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    with option_value("--until"):
        end = parse_datetime(text, tz)
    if end <= now:
        raise OptionError(
            "--until",
            _(
                "{local_time} is already past: give a later time, or leave --until out to stop "
                "until 'jadwal resume'"
            ).format(local_time=local_time(end, tz)),
        )
    return end


def _in_force(store: Store, now: datetime) -> list[Stop]:
    return [s for s in store.stops.recent(ended_after=now) if s.in_force(now)]


def _not_stopped(
    store: Store, calendar: Calendar | None, account: str | None, now: datetime, tz: ZoneInfo
) -> str:
    """Why there was nothing to lift, and what is stopped instead."""
    stops = _in_force(store, now)
    if account is None:
        names = sorted({s.account for s in stops if s.account is not None})
        if not names:
            return _("nothing is stopped")
        return _(
            "no stop of every account is in force; stopped: {names} (lift each with 'jadwal "
            "resume ACCOUNT')"
        ).format(names=", ".join(names))
    if calendar is not None and account not in calendar.accounts:
        return _("account '{account}' is not in the calendar").format(account=account)
    every = next((s for s in stops if s.account is None), None)
    if every is not None:
        return _(
            "{account} has no stop of its own: it is stopped with every account ({describe}); "
            "'jadwal resume' lifts that"
        ).format(account=account, describe=every.describe(tz))
    return _("{account} is not stopped").format(account=account)


def _still_held(store: Store, account: str | None, now: datetime, tz: ZoneInfo) -> list[str]:
    """What still keeps posts back after a resume, and how to lift it."""
    notes = [
        _("Still stopped: {target}, {stop}; '{command}' lifts it.").format(
            target=s.target, stop=s.describe(tz), command=resume_command(s)
        )
        for s in _in_force(store, now)
        if (s.account is None) != (account is None)
    ]
    if account is not None and account in store.paused():
        also = _(
            "{account} is also paused after a login or token error: fix it, then run "
            "'jadwal accounts resume {account}'."
        )
        notes.append(also.format(account=account))
    return notes
