"""The calendar schema: every key ``calendar.yaml`` may hold, checked in one pass.

``read_calendar`` turns a YAML tree into a ``Calendar`` plus the list of problems found on
the way. This module reads the top level (version, time zone, vars, defaults, graph, media),
and ``rules``; the larger sections have their own readers: ``accounts``, ``posts`` (with
what posts and greetings share), ``holidayreader`` and ``when`` (schedules). Which keys each
section may hold is declared once, in ``keys.py``; the ``*_KEYS`` names here are its lists.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.calendar import keys, values
from scheduler.calendar.accounts import ACCOUNT_KEYS, AccountsReader
from scheduler.calendar.fields import Fields, loc_of
from scheduler.calendar.holidayreader import HolidaysReader
from scheduler.calendar.keyspec import Section
from scheduler.calendar.model import ON_HOLIDAYS, Account, Calendar, Notify, ReportSettings, Rules
from scheduler.calendar.notify import NotifyReader
from scheduler.calendar.posts import POST_KEYS, Defaults, PostsReader
from scheduler.calendar.refs import Looks
from scheduler.calendar.yamltree import YNode
from scheduler.i18n import N_, _
from scheduler.problems import Problem

__all__ = [
    "ACCOUNT_KEYS",
    "DEFAULT_KEYS",
    "GRAPH_KEYS",
    "HOLIDAY_KEYS",
    "MEDIA_KEYS",
    "POST_KEYS",
    "RULE_KEYS",
    "TOP_KEYS",
    "read_calendar",
]

DEFAULT_TIMEZONE = "Asia/Jakarta"
TOP_KEYS = keys.TOP.names
HOLIDAY_KEYS = keys.HOLIDAYS.names
RULE_KEYS = keys.RULES.names
GRAPH_KEYS = keys.GRAPH.names
MEDIA_KEYS = keys.MEDIA.names
DEFAULT_KEYS = keys.DEFAULTS.names
REMINDER_NEEDED = N_(
    "account '{account}' is posted to by hand (platform: whatsapp), so a person must be reminded "
    "at each post's time: add 'reminder' to the 'on' list of a notify entry, e.g. notify: [{{url: "
    "${{NOTIFY_URL}}, on: [reminder, failed, missed]}}]"
)


def read_calendar(root: YNode, path: Path, looks: Looks) -> tuple[Calendar, list[Problem]]:
    """The calendar in ``root`` and every problem found while reading it; ``looks`` is the
    calendar's folder, as reading it sees it (``Looks``: the files the calendar names)."""
    reader = _Reader(path, looks)
    calendar = reader.calendar(root)
    return calendar, reader.problems


class _Reader(Fields):
    def __init__(self, path: Path, looks: Looks) -> None:
        super().__init__()
        self.path = path
        self.looks = looks

    def calendar(self, root: YNode) -> Calendar:
        top = self.mapping(root, _("the calendar")) or {}
        self.unknown_keys(root, keys.TOP, "calendar")
        version = self.version(root, top.get("version"))
        tz = self.timezone(top.get("timezone"))
        calendar_vars = self.variables(top.get("vars"), "vars")
        defaults = self.defaults(top.get("defaults"))
        accounts = AccountsReader(self.problems).accounts(top.get("accounts"), root)
        posts = PostsReader(self.problems, self.looks, tz, accounts, defaults)
        graph = self.section(top.get("graph"), "graph", keys.GRAPH)
        media = self.section(top.get("media"), "media", keys.MEDIA)
        site = self.section(top.get("site"), "site", keys.SITE)
        report = self.section(top.get("report"), "report", keys.REPORT)
        notify = NotifyReader(self.problems).entries(top.get("notify"))
        self.reminders_for(accounts, notify)
        return Calendar(
            path=self.path,
            timezone=tz,
            vars=calendar_vars,
            accounts=accounts,
            posts=posts.posts(top.get("posts")),
            holidays=HolidaysReader(posts).holidays(top.get("holidays")),
            rules=self.rules(top.get("rules")),
            version=version,
            graph_version=self.text(graph.get("version"), "graph.version") or "v25.0",
            graph_url=self.text(graph.get("url"), "graph.url"),
            media_public_base_url=self.text(media.get("public_base_url"), "media.public_base_url"),
            media_staging=self.choice(media.get("staging"), "media.staging", keys.STAGING),
            notify=notify,
            name=self.text(top.get("name"), "name"),
            site_url=self.site_url(site.get("url")),
            site_dir=self.site_dir(site.get("dir")),
            language=self.choice(top.get("language"), "language", keys.SPOKEN),
            report=self.report(report),
        )

    def report(self, found: dict[str, YNode]) -> ReportSettings:
        late = self.integer(found.get("late_after"), "report.late_after", 0, 1440)
        texts = {k: self.text(found.get(k), f"report.{k}") for k in ("title", "prepared_by")}
        return ReportSettings(
            title=texts["title"],
            prepared_by=texts["prepared_by"],
            approved_by=self.text(found.get("approved_by"), "report.approved_by"),
            late_after=timedelta(minutes=15 if late is None else late),
        )

    def site_url(self, node: YNode | None) -> str | None:
        url = self.text(node, "site.url")
        if url is not None and node is not None and not url.startswith(("https://", "http://")):
            self.error(node.loc, _("site.url must start with https:// or http://"))
            return None
        return url

    def site_dir(self, node: YNode | None) -> Path | None:
        """The folder as written, relative to the calendar's (resolved by the caller, who
        knows the calendar's path)."""
        folder = self.text(node, "site.dir")
        return Path(folder) if folder else None

    def reminders_for(self, accounts: dict[str, Account], notify: tuple[Notify, ...]) -> None:
        """A post by hand is only made if someone is reminded: an account posted to by hand
        without a ``notify`` entry told ``reminder`` would only ever miss its posts."""
        if any("reminder" in entry.events for entry in notify):
            return
        for account in accounts.values():
            if account.route == "whatsapp":
                self.error(account.loc, _(REMINDER_NEEDED).format(account=account.name))

    def section(self, node: YNode | None, what: str, section: Section) -> dict[str, YNode]:
        found = self.mapping(node, what)
        if found and node is not None:
            self.unknown_keys(node, section, what)
        return found or {}

    def version(self, root: YNode, node: YNode | None) -> int:
        if node is None:
            self.warning(
                root.loc,
                _(
                    "add 'version: 1' at the top so later versions of jadwal know which format "
                    "this file uses"
                ),
            )
            return 1
        version = self.integer(node, "version", 1, 1)
        return version or 1

    def timezone(self, node: YNode | None) -> ZoneInfo:
        name = self.text(node, "timezone")
        if name is None or node is None:
            return ZoneInfo(DEFAULT_TIMEZONE)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: 'Asia', a folder
            self.error(
                node.loc,
                _(
                    "unknown time zone '{name}': use an IANA name such as Asia/Jakarta (WIB), "
                    "Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
                ).format(name=name),
            )
            return ZoneInfo(DEFAULT_TIMEZONE)

    def defaults(self, node: YNode | None) -> Defaults:
        found = self.mapping(node, "defaults") or {}
        if node is not None:
            self.unknown_keys(node, keys.DEFAULTS, "defaults")
        rule = self.choice(found.get("on_holidays"), "defaults.on_holidays", ON_HOLIDAYS)
        if "accounts" not in found:
            return Defaults(on_holidays=rule or "keep")
        accounts = self.strings(found["accounts"], "defaults")
        return Defaults(accounts, found["accounts"].loc, rule or "keep")

    def rules(self, node: YNode | None) -> Rules:
        fields = self.mapping(node, "rules")
        if fields is None or node is None:
            return Rules()
        self.unknown_keys(node, keys.RULES, "rules")
        minimum = self.integer(
            fields.get("min_posts_per_week"), "rules: min_posts_per_week", 0, 1000
        )
        grace = self.parsed(fields.get("grace"), "rules: grace", values.parse_duration)
        return Rules(
            min_posts_per_week=1 if minimum is None else minimum,
            grace=grace if grace is not None else Rules().grace,
            blocked_words=self.strings(fields.get("blocked_words"), "rules: blocked_words"),
            warn_words=self.strings(fields.get("warn_words"), "rules: warn_words"),
            loc=node.loc,
            min_posts_loc=loc_of(fields.get("min_posts_per_week")) or node.loc,
        )
