"""The ``jadwal`` command: a thin Typer layer over the ``scheduler`` package.

Each command parses its options, calls one library function and returns an exit code;
``main`` is the one place that turns outcomes into exit codes: 0 done, 1 a problem the user
can fix, 2 a command-line usage error, 3 a bug in jadwal (details in a log file), 130
interrupted. Heavy libraries are imported inside the commands that need them, so ``--help``,
``check`` and ``preview`` start fast.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from scheduler import __version__
from scheduler.errors import CalendarError, JadwalError
from scheduler.problems import Problem

if TYPE_CHECKING:
    from scheduler.runtime import Options

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_FAILED = 2  # tick/post: something could not be published (cron mails the output)

app = typer.Typer(
    name="jadwal",
    help="Publication calendar for Instagram and Facebook: check, preview and publish "
    "the posts in calendar.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CalendarArg = Annotated[
    Path | None,
    typer.Argument(
        help="The calendar file (default: $JADWAL_CALENDAR or ./calendar.yaml).", show_default=False
    ),
]


# ``post``, ``login`` and ``accounts check`` take an argument of their own first.
CalendarOption = Annotated[
    Path | None,
    typer.Option(
        "--calendar",
        help="The calendar file (default: $JADWAL_CALENDAR or ./calendar.yaml).",
        show_default=False,
    ),
]


def calendar_path(given: Path | None) -> Path:
    if given is not None:
        return given
    return Path(os.environ.get("JADWAL_CALENDAR") or "calendar.yaml")


def parse_day(text: str | None, option: str, default: date | None) -> date:
    if text is None:
        assert default is not None
        return default
    from scheduler.calendar.values import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    for problem in problems:
        print(problem, file=stream or sys.stdout)


@app.command()
def check(
    calendar: CalendarArg = None,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    since: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Day the 12-week consistency check starts from (YYYY-MM-DD).",
            show_default="today",
        ),
    ] = None,
) -> int:
    """Validate the calendar without the network: schema, references, captions, media, rhythm.

    Prints one line per problem (PATH:LINE:COL: error|warning: MESSAGE). Exit status 0 when
    there are no errors (warnings allowed), 1 otherwise.
    """
    from scheduler.check import check_calendar

    if output not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")
    path = calendar_path(calendar)
    problems = check_calendar(path, parse_day(since, "--today", None) if since else None)
    errors = sum(p.is_error for p in problems)
    if output == "json":
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        print_problems(problems)
        warnings = len(problems) - errors
        verdict = "not ready to publish" if errors else "ok"
        print(f"{path}: {verdict} ({_plural(errors, 'error')}, {_plural(warnings, 'warning')})")
    return EXIT_USER if errors else EXIT_OK


@app.command()
def preview(
    calendar: CalendarArg = None,
    first: Annotated[
        str | None,
        typer.Option("--from", help="First day (YYYY-MM-DD, inclusive).", show_default="today"),
    ] = None,
    last: Annotated[
        str | None,
        typer.Option(
            "--to", help="Last day (YYYY-MM-DD, inclusive).", show_default="--from + 13 days"
        ),
    ] = None,
    account: Annotated[str | None, typer.Option(help="Only this account.")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> int:
    """List the posts of a window in time order with their rendered captions."""
    from scheduler.calendar import load_calendar
    from scheduler.preview import preview as build_preview

    if output not in ("table", "json"):
        raise typer.BadParameter("choose table or json", param_hint="--format")
    start = parse_day(first, "--from", None) if first else None
    end = parse_day(last, "--to", None) if last else None
    if start and end and end < start:
        raise typer.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    cal = load_calendar(calendar_path(calendar))
    start = start or datetime.now(cal.timezone).date()  # "today" where the office is
    end = end or start + timedelta(days=13)
    if end < start:
        raise typer.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    if account is not None and account not in cal.accounts:
        known = ", ".join(sorted(cal.accounts))
        raise JadwalError(f"account '{account}' is not in the calendar (accounts: {known})")
    items = build_preview(cal, start, end, account)
    if output == "json":
        print(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
    else:
        from scheduler.tables import preview_table

        preview_table(items, start, end)
    failed = [i.problem for i in items if i.problem is not None]
    print_problems(sorted(set(failed), key=str), sys.stderr)
    return EXIT_USER if failed else EXIT_OK


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $JADWAL_DATABASE_URL or SQLite in "
        ".jadwal/ beside the calendar).",
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Publish nothing: render, record in .jadwal/dryrun.db and "
        "write each post to .jadwal/dryrun/.",
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log debugging detail.")]


def options(calendar: Path | None, db: str | None, dry_run: bool) -> Options:
    from scheduler.runtime import Options

    return Options(calendar_path=calendar_path(calendar), db=db, dry_run=dry_run)


@app.command()
def daemon(
    calendar: CalendarArg = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
    instance: Annotated[
        str | None, typer.Option(help="Name of this daemon when several run on one machine.")
    ] = None,
    verbose: VerboseOption = False,
) -> int:
    """Run the publisher: publishes every post at its time until stopped (SIGTERM, Ctrl-C).

    Reloads when calendar.yaml, a template or .env changes; logs one line per event.
    """
    from scheduler.daemon import configure_logging
    from scheduler.runtime import run_daemon

    configure_logging(logging.DEBUG if verbose else logging.INFO)
    run_daemon(options(calendar, db, dry_run), instance)
    return EXIT_OK


@app.command()
def tick(
    calendar: CalendarArg = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="With --dry-run: pretend it is this time ('YYYY-MM-DD HH:MM'), to rehearse a day.",
            show_default=False,
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> int:
    """Publish what is due now and exit (for cron, every minute).

    Exit status 0 when nothing failed, 2 when a publication failed. Running it twice, or
    beside a daemon, publishes nothing twice.
    """
    from scheduler.daemon import configure_logging
    from scheduler.runtime import tick as run_tick

    if now is not None and not dry_run:
        raise typer.BadParameter(
            "only with --dry-run: live posts go out at the real time", param_hint="--now"
        )
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    report = run_tick(options(calendar, db, dry_run), now)
    print(f"jadwal tick: {report.summary()}")
    return EXIT_FAILED if report.failed else EXIT_OK


@app.command()
def post(
    post_id: Annotated[str, typer.Argument(help="The post's id in the calendar.")],
    calendar: CalendarOption = None,
    account: Annotated[str | None, typer.Option(help="Only this account.")] = None,
    at: Annotated[
        str | None,
        typer.Option(help="The occurrence to publish ('YYYY-MM-DD HH:MM'); default: the next one."),
    ] = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask for confirmation.")] = False,
    again: Annotated[
        bool,
        typer.Option("--again", help="Publish even though this occurrence was already handled."),
    ] = False,
) -> int:
    """Publish one post now, after showing its caption and asking for confirmation."""
    from scheduler.calendar.values import parse_datetime
    from scheduler.daemon import configure_logging
    from scheduler.history import now_utc
    from scheduler.manual import choose, publish_now
    from scheduler.runtime import load_for_publishing, owner_name

    configure_logging(logging.INFO)
    ctx = load_for_publishing(options(calendar, db, dry_run), owner_name("post"))
    when = None
    if at is not None:
        try:
            when = parse_datetime(at, ctx.calendar.timezone)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--at") from None
    chosen = choose(ctx, post_id, account, when, now_utc())
    for occurrence in chosen:
        print(
            f"--- {occurrence.key} ({occurrence.platform}, "
            f"{occurrence.at:%Y-%m-%d %H:%M %Z})\n{ctx.renderer.render(occurrence)}\n"
        )
    target = "dry run" if dry_run else "LIVE"
    if not yes and not typer.confirm(f"Publish {len(chosen)} post(s) now ({target})?"):
        print("nothing published")
        return EXIT_OK
    report = publish_now(ctx, chosen, now_utc(), again)
    print(f"jadwal post: {report.summary()}")
    return EXIT_FAILED if report.failed or report.counts["unknown"] else EXIT_OK


@app.command()
def history(
    calendar: CalendarArg = None,
    since: Annotated[str | None, typer.Option(help="Only from this day (YYYY-MM-DD).")] = None,
    state: Annotated[
        str | None,
        typer.Option(
            help="Only this state: published, retry, failed, unknown, missed, skipped, claimed, "
            "publishing."
        ),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read the dry-run history instead of the real one.")
    ] = False,
) -> int:
    """What happened: every publication with its state, attempts, link or error."""
    from scheduler.calendar import load_calendar
    from scheduler.history import as_json, history_rows, history_table
    from scheduler.runtime import open_options_store
    from scheduler.store import STATES

    if output not in ("table", "json"):
        raise typer.BadParameter("choose table or json", param_hint="--format")
    if state is not None and state not in STATES:
        raise typer.BadParameter(f"choose one of {', '.join(STATES)}", param_hint="--state")
    start = parse_day(since, "--since", None) if since else None
    opts = options(calendar, db, dry_run)
    tz = load_calendar(opts.calendar_path).timezone
    rows = history_rows(open_options_store(opts), start, state, tz)
    if output == "json":
        print(json.dumps([as_json(r, tz) for r in rows], ensure_ascii=False, indent=2))
    else:
        history_table(rows, tz)
    return EXIT_OK


@app.command()
def resolve(
    key: Annotated[str, typer.Argument(help="The publication's key (see jadwal history).")],
    calendar: CalendarArg = None,
    published: Annotated[
        str | None, typer.Option("--published", help="It did go out: the post's URL.")
    ] = None,
    not_published: Annotated[
        bool, typer.Option("--not-published", help="It did not go out: publish it again.")
    ] = False,
    db: DbOption = None,
    dry_run: DryRunOption = False,
) -> int:
    """Settle a publication whose outcome is unknown, after looking at the account."""
    from scheduler.history import now_utc
    from scheduler.runtime import open_options_store

    if (published is None) == (not not_published):
        raise typer.BadParameter("give exactly one of --published URL or --not-published")
    store = open_options_store(options(calendar, db, dry_run))
    row = store.get(key)
    if row is None:
        raise JadwalError(f"no publication with key {key} (see jadwal history)")
    if not store.resolve(key, now_utc(), published):
        raise JadwalError(f"{key} is {row.state}, not unknown: nothing to resolve")
    print(f"{key}: " + (f"published ({published})" if published else "will be published again"))
    return EXIT_OK


accounts_app = typer.Typer(help="Manage the accounts jadwal publishes to.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")


@accounts_app.command("check")
def accounts_check(
    account: Annotated[str | None, typer.Argument(help="Only this account.")] = None,
    calendar: CalendarOption = None,
    db: DbOption = None,
) -> int:
    """Check each account can publish: token, page or user, permissions, quota, session.

    Exit status 1 if any account can't publish. A paused account whose checks pass resumes.
    """
    from scheduler.accounts import accounts_table, check_accounts
    from scheduler.calendar import load_calendar
    from scheduler.runtime import open_options_store

    cal = load_calendar(calendar_path(calendar))
    if account is not None and account not in cal.accounts:
        raise JadwalError(f"account '{account}' is not in the calendar")
    reports = check_accounts(cal, account)
    store = open_options_store(options(calendar, db, False))
    paused = store.paused()
    resumed = [r.account.name for r in reports if r.ok and r.account.name in paused]
    for name in resumed:
        store.unpause(name)
    accounts_table(reports, resumed)
    return EXIT_OK if all(r.ok for r in reports) else EXIT_USER


@app.command()
def login(
    account: Annotated[str, typer.Argument(help="An Instagram account with via: instagrapi.")],
    calendar: CalendarOption = None,
) -> int:
    """Sign in to an Instagram account (password, two-factor code) and save its session.

    The session is saved outside the calendar folder, readable only by you; the daemon only
    reuses saved sessions and never asks for a password.
    """
    from scheduler.adapters.instagrapi.login import login_account
    from scheduler.calendar import load_calendar

    cal = load_calendar(calendar_path(calendar))
    found = cal.accounts.get(account)
    if found is None or found.platform != "instagram" or found.via != "instagrapi":
        raise JadwalError(
            f"'{account}' is not an Instagram account with via: instagrapi in the calendar"
        )

    def prompt(text: str, hide: bool = False) -> str:
        return str(typer.prompt(text.rstrip(": "), hide_input=hide))

    path = login_account(cal, found, prompt)
    print(f"{account}: signed in; session saved to {path} (readable only by you)")
    return EXIT_OK


@accounts_app.command("resume")
def accounts_resume(
    account: Annotated[str, typer.Argument(help="The paused account.")],
    calendar: CalendarArg = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
) -> int:
    """Resume publishing for an account paused after a login or token error."""
    from scheduler.runtime import open_options_store

    store = open_options_store(options(calendar, db, dry_run))
    if not store.unpause(account):
        raise JadwalError(f"account '{account}' is not paused")
    print(f"{account}: resumed; waiting posts go out at the next tick")
    return EXIT_OK


@app.command()
def version() -> int:
    """Print jadwal's version."""
    print(f"jadwal {__version__}")
    return EXIT_OK


def crash_log(exc: BaseException) -> Path:
    """Write the traceback of a bug where the user can find it and send it to us."""
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    path = base / "jadwal" / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(traceback.format_exception(exc))
    with path.open("a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now().isoformat()} jadwal {__version__} {sys.argv[1:]}\n")
        log.write(scrub_secrets(text))
    return path


def scrub_secrets(text: str) -> str:
    """Blank out anything that looks like a secret we know of: a bug report is shared."""
    from scheduler.secrets import scrub, secret_values

    return scrub(text, secret_values(calendar_path(None).resolve().parent))


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (the one mapping of outcomes to codes)."""
    try:
        result = app(args=argv, prog_name="jadwal", standalone_mode=False)
    except CalendarError as exc:
        print_problems(exc.problems, sys.stderr)
        errors = sum(p.is_error for p in exc.problems)
        print(
            f"jadwal: the calendar has {_plural(errors, 'error')}; run 'jadwal check' for details",
            file=sys.stderr,
        )
        return EXIT_USER
    except JadwalError as exc:
        print(f"jadwal: error: {exc}", file=sys.stderr)
        return EXIT_USER
    except (typer.Abort, KeyboardInterrupt):
        print("jadwal: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except typer.TyperException as exc:
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            print(f"jadwal: error: {exc.format_message()}", file=sys.stderr)
        return EXIT_USAGE
    except typer.Exit as exc:
        return int(exc.exit_code)
    except Exception as exc:
        where = crash_log(exc)
        print(
            f"jadwal: internal error ({type(exc).__name__}); this is a bug in jadwal. "
            f"Details are in {where}",
            file=sys.stderr,
        )
        return EXIT_BUG
    return int(result) if isinstance(result, int) else EXIT_OK


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
