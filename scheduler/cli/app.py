"""The ``jadwal`` Typer app: every command, in the order ``jadwal --help`` lists them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Annotated, ParamSpec

import typer

from scheduler.cli import accounts, calendar, insights, publish, records, report, stop, views
from scheduler.cli.options import CalendarOption, DbOption
from scheduler.cli.translated import Command, Group
from scheduler.commands import OptionError
from scheduler.i18n import N_

P = ParamSpec("P")

SETTINGS: dict[str, object] = {
    "name": "jadwal",
    "help": N_(
        "Publication calendar for Instagram and Facebook: check, preview and publish "
        "the posts in calendar.yaml."
    ),
    "cls": Group,  # the help and usage errors in jadwal's language
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    # -h as well as --help, in every command (Click hands the names down to subcommands).
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**SETTINGS)  # type: ignore[arg-type]
accounts_app = typer.Typer(
    cls=Group, help=N_("Manage the accounts jadwal publishes to."), no_args_is_help=True
)
notify_app = typer.Typer(
    cls=Group,
    help=N_("Notifications: what is queued or failed to send; 'jadwal notify test' sends a test."),
    invoke_without_command=True,
)


def usage_errors(callback: Callable[P, int]) -> Callable[P, int]:
    """``callback``, with a wrong option value that its command finds reported as a usage
    error while Click's context is still open, so the message comes with the usage line, and
    Ctrl-C handed to the boundary."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            return callback(*args, **kwargs)
        except OptionError as exc:
            raise typer.BadParameter(exc.message, param_hint=exc.option) from None
        except KeyboardInterrupt:
            # Typer would make it a silent Exit(130); as an Abort it reaches the boundary,
            # which says "jadwal: interrupted" (a daemon's Ctrl-C included) and exits 130.
            raise typer.Abort() from None

    return run


def show_version(wanted: bool) -> None:
    if wanted:
        from scheduler.commands.version import version

        raise typer.Exit(version())


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help=N_("Print jadwal's version and exit (as 'jadwal version' does)."),
            callback=show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Publication calendar for Instagram and Facebook: check, preview and publish the posts
    in calendar.yaml."""


COMMANDS: dict[str, Callable[..., int]] = {
    "check": calendar.check,
    "preview": calendar.preview,
    "calendar": records.month,
    "site": views.site,
    "ical": views.ical,
    "schema": calendar.schema,
    "daemon": publish.daemon,
    "tick": publish.tick,
    "post": publish.post,
    "insights": insights.insights,
    "history": records.history,
    "report": report.report,
    "resolve": records.resolve,
    "done": records.done,
    "backup": records.backup,
    "pause": stop.pause,
    "resume": stop.resume,
    "login": accounts.login,
    "version": calendar.version,
}
ACCOUNTS_COMMANDS: dict[str, Callable[..., int]] = {
    "check": accounts.check,
    "resume": accounts.resume,
}

for name, callback in COMMANDS.items():
    app.command(name, cls=Command)(usage_errors(callback))
for name, callback in ACCOUNTS_COMMANDS.items():
    accounts_app.command(name, cls=Command)(usage_errors(callback))
app.add_typer(accounts_app, name="accounts")
notify_app.command("test", cls=Command)(usage_errors(records.notify_test))


@notify_app.callback()
def notify(ctx: typer.Context, calendar: CalendarOption = None, db: DbOption = None) -> None:
    """Show the notifications that are queued and those that failed to send."""
    if ctx.invoked_subcommand is None:
        raise typer.Exit(records.notify_queue(calendar, db))


app.add_typer(notify_app, name="notify")


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that parses ``args``: for one of ``COMMANDS``, an app of that command alone.
    Typer turns every command's function into Click's before it parses anything (reading
    each signature, ~0.05 s for all of jadwal's), and a command's help, usage and errors are
    the same without the others. Anything else (``--help``, a group, a mistyped name that
    deserves the list of commands) gets the whole app."""
    name = next((arg for arg in args if not arg.startswith("-")), None)
    if name not in COMMANDS or (args[0].startswith("-") and args[0] != "--version"):
        return app
    alone = typer.Typer(**SETTINGS)  # type: ignore[arg-type]
    alone.callback()(options)
    alone.command(name, cls=Command)(usage_errors(COMMANDS[name]))
    return alone
