"""``--help`` and usage errors in the language jadwal speaks (``scheduler.i18n``).

The texts are written in English in the code: a command's help is its function's docstring
(Typer's rule), an option's is its ``help=`` marked with ``N_``; ``scheduler.cli.extract``
puts both in the catalog. Typer's and Click's own words ("Options", "Usage:", "Show this
message and exit.", "Invalid value for …") are fixed English in the Click that Typer ships,
with no catalog of their own. So the texts are translated here, on the command tree, just
before Typer draws the help: ``Command`` and ``Group`` are Typer's with every text put
through ``_``, and ``usage_error`` says Click's errors in jadwal's words.

The English stays on each object (``_english``), so a process that changes its language
(the tests do) translates from the English each time, never from a translation.
"""

from __future__ import annotations

import re
from typing import Any

from typer import _click
from typer.core import TyperCommand, TyperGroup

from scheduler.i18n import N_, _

# typer.rich_utils draws these from its module's constants, made once when it is imported.
LABELS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}
HELP_OPTION = N_("Show this message and exit.")
USAGE = N_("Usage: ")

# Click's messages that reach jadwal's users, as Typer's Click writes them, and in jadwal's.
CLICK_MESSAGES = tuple(
    (re.compile(pattern, re.S), text)
    for pattern, text in (
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
        (
            r"No such command (?P<name>'[^']*')\. Did you mean (?P<suggestion>.+)\?",
            N_("No such command {name}. Did you mean {suggestion}?"),
        ),
        (r"No such command (?P<name>.+)\.", N_("No such command {name}.")),
        (r"Missing command\.", N_("Missing command.")),
        (
            r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)",
            N_("Got unexpected extra arguments ({args})"),
        ),
        (
            r"Option (?P<name>'.+') does not take a value\.",
            N_("Option {name} does not take a value."),
        ),
        (
            r"Option (?P<name>'.+') requires an argument\.",
            N_("Option {name} requires an argument."),
        ),
        (
            r"Option (?P<name>'.+') requires (?P<count>\d+) arguments\.",
            N_("Option {name} requires {count} arguments."),
        ),
        (
            r"(?P<value>.+) is not a valid boolean\..*",
            N_("{value} is not a valid yes or no (true/false)."),
        ),
        (r"(?P<value>.+) is not a valid (?P<kind>\w+)\.", N_("{value} is not a valid {kind}.")),
    )
)
MISSING = {
    "argument": N_("Missing argument {name}."),
    "option": N_("Missing option {name}."),
}


def reflow(text: str) -> str:
    """Each paragraph on one line: Typer keeps a docstring's line breaks and then wraps
    again, which leaves ragged lines. An indented line (an example to copy) keeps its own
    line, and so does a paragraph that starts with Click's ``\\b``."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if not paragraph.startswith("\b"):
            paragraph = re.sub(r"\n(?![ \t])[ \t]*", " ", paragraph)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _english(thing: Any, *names: str) -> dict[str, Any]:
    kept: dict[str, Any] | None = thing.__dict__.get("_english")
    if kept is None:
        kept = thing.__dict__["_english"] = {name: getattr(thing, name) for name in names}
    return kept


def _said(text: Any) -> Any:
    return reflow(_(text)) if isinstance(text, str) and text else text


def translate(command: _click.Command) -> None:
    """``command``'s help, short help and its parameters' texts, in the current language."""
    for name, text in _english(command, "help", "short_help").items():
        setattr(command, name, _said(text))
    for param in command.params:
        for name, text in _english(param, "help", "show_default").items():
            setattr(
                param,
                name,
                _said(text) if name == "help" else _(text) if isinstance(text, str) else text,
            )


class _Translated:
    """What ``Command`` and ``Group`` add to Typer's."""

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        from typer import rich_utils

        for name, text in LABELS.items():
            setattr(rich_utils, name, _(text))
        translate(self)  # type: ignore[arg-type]
        for sub in getattr(self, "commands", {}).values():  # a group lists them
            translate(sub)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: _click.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _(HELP_OPTION)
        return option

    def get_usage(self, ctx: _click.Context) -> str:
        formatter = ctx.make_formatter()
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE))
        return formatter.getvalue().rstrip("\n")


class Command(_Translated, TyperCommand):
    pass


class Group(_Translated, TyperGroup):
    pass


def click_message(message: str) -> str:
    """One of Click's messages in jadwal's words (what it does not know stays as it is)."""
    for pattern, text in CLICK_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return _(text).format(**found.groupdict())
    return message


def usage_error(exc: _click.exceptions.UsageError) -> str:
    """What Click's ``format_message`` says of ``exc``, translated."""
    if isinstance(exc, _click.exceptions.MissingParameter) and exc.param is not None:
        text = MISSING.get(exc.param.param_type_name, MISSING["argument"])
        return _(text).format(name=_hint(exc))
    if isinstance(exc, _click.exceptions.BadParameter):
        hint, message = _hint(exc), click_message(exc.message)
        if hint is None:
            return _("Invalid value: {message}").format(message=message)
        return _("Invalid value for {hint}: {message}").format(hint=hint, message=message)
    if isinstance(exc, _click.exceptions.NoSuchOption):
        text = _("No such option: {name}").format(name=exc.option_name)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            text += " " + _("(Possible options: {options})").format(options=options)
        return text
    return click_message(exc.format_message())


def _hint(exc: _click.exceptions.BadParameter) -> str | None:
    """The option or argument a bad value was given for, as Click names it."""
    hint: Any = exc.param_hint
    if hint is None and exc.param is not None and exc.ctx is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if isinstance(hint, (list, tuple)):
        return " / ".join(hint)
    return hint if isinstance(hint, str) else None


def show_usage_error(exc: _click.exceptions.UsageError, file: Any) -> None:
    """The usage line, the pointer to ``--help`` and the error, as Click shows them."""
    ctx = exc.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            command, option = ctx.command_path, ctx.help_option_names[0]
            hint = _("Try '{command} {option}' for help.").format(command=command, option=option)
            hint += "\n"
        print(f"{ctx.get_usage()}\n{hint}", file=file)
    print(_("Error: {message}").format(message=usage_error(exc)), file=file)
