"""The calendar schema: every key ``calendar.yaml`` may hold, checked in one pass.

``read_calendar`` turns a YAML tree into a ``Calendar`` plus the list of problems found on
the way. Everything about what a key means lives here; ``docs/calendar.md`` documents the
same keys, and a test keeps the two in step.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.calendar import values
from scheduler.calendar.fields import Fields, plain
from scheduler.calendar.model import (
    INSTAGRAM_VIA,
    KINDS,
    PLATFORMS,
    STATUSES,
    Account,
    Calendar,
    Holidays,
    MediaRef,
    Platform,
    Post,
    Rules,
    Schedule,
    SecretRef,
    Via,
)
from scheduler.calendar.refs import check_template_name, find_template, is_file, resolve_media
from scheduler.calendar.yamltree import YNode
from scheduler.problems import Location, Problem

DEFAULT_TIMEZONE = "Asia/Jakarta"
TOP_KEYS = (
    "version",
    "timezone",
    "vars",
    "defaults",
    "accounts",
    "posts",
    "holidays",
    "rules",
    "graph",
    "media",
)
ACCOUNT_KEYS = (
    "platform",
    "via",
    "page_id",
    "ig_user_id",
    "username",
    "token",
    "password",
)
SECRET_KEYS = ("token", "password")
POST_KEYS = (
    "id",
    "accounts",
    "at",
    "dates",
    "cron",
    "rrule",
    "from",
    "until",
    "time",
    "template",
    "caption",
    "vars",
    "media",
    "kind",
    "category",
    "status",
    "notes",
    "link",
)
WHEN_KEYS = ("at", "dates", "cron", "rrule")
HOLIDAY_KEYS = (
    "country",
    "language",
    "at",
    "accounts",
    "template",
    "caption",
    "media",
    "skip",
    "only",
    "kind",
    "status",
)
RULE_KEYS = ("min_posts_per_week", "grace", "blocked_words", "warn_words")
GRAPH_KEYS = ("version", "url")
MEDIA_KEYS = ("public_base_url", "staging")
STAGING = ("facebook_page",)

_REFERENCE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
_POST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_ACCOUNT_NAME = _POST_ID
# Long opaque strings shaped like Meta tokens: never allowed inline, whatever the key.
_TOKEN_SHAPE = re.compile(r"^(EAA|IGQ|IGA)[A-Za-z0-9_-]{20,}$")


class _Reader(Fields):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.folder = path.parent
        self.tz = ZoneInfo(DEFAULT_TIMEZONE)
        self.default_accounts: tuple[str, ...] = ()
        self.default_accounts_loc: Location | None = None
        self.accounts: dict[str, Account] = {}
        # Many posts share a template or an image: look each file up once per load.
        self.templates_found: dict[tuple[str, str], str | None] = {}
        self.media_found: dict[str, Path | None] = {}

    # -- top level -------------------------------------------------------------------------

    def calendar(self, root: YNode) -> Calendar:
        top = self.mapping(root, "the calendar") or {}
        self.unknown_keys(root, TOP_KEYS, "calendar")
        version = self.version(root, top.get("version"))
        self.timezone(top.get("timezone"))
        calendar_vars = self.vars(top.get("vars"), "vars")
        self.defaults(top.get("defaults"))
        self.accounts = self.read_accounts(top.get("accounts"), root)
        graph = self.section(top.get("graph"), "graph", GRAPH_KEYS)
        media = self.section(top.get("media"), "media", MEDIA_KEYS)
        return Calendar(
            path=self.path,
            timezone=self.tz,
            vars=calendar_vars,
            accounts=self.accounts,
            posts=self.read_posts(top.get("posts")),
            holidays=self.read_holidays(top.get("holidays")),
            rules=self.read_rules(top.get("rules")),
            version=version,
            graph_version=self.text(graph.get("version"), "graph.version") or "v25.0",
            graph_url=self.text(graph.get("url"), "graph.url"),
            media_public_base_url=self.text(media.get("public_base_url"), "media.public_base_url"),
            media_staging=self.choice(media.get("staging"), "media.staging", STAGING),
        )

    def section(self, node: YNode | None, what: str, keys: tuple[str, ...]) -> dict[str, YNode]:
        found = self.mapping(node, what)
        if found and node is not None:
            self.unknown_keys(node, keys, what)
        return found or {}

    def version(self, root: YNode, node: YNode | None) -> int:
        if node is None:
            self.warning(
                root.loc,
                "add 'version: 1' at the top so later versions of jadwal "
                "know which format this file uses",
            )
            return 1
        version = self.integer(node, "version", 1, 1)
        return version or 1

    def timezone(self, node: YNode | None) -> None:
        name = self.text(node, "timezone")
        if name is None or node is None:
            return
        try:
            self.tz = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.error(
                node.loc,
                f"unknown time zone '{name}': use an IANA name such as "
                "Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
            )

    def vars(self, node: YNode | None, what: str) -> dict[str, object]:
        found = self.mapping(node, what)
        return {key: plain(value) for key, value in (found or {}).items()}

    def defaults(self, node: YNode | None) -> None:
        found = self.mapping(node, "defaults") or {}
        if node is not None:
            self.unknown_keys(node, ("accounts",), "defaults")
        if "accounts" in found:
            self.default_accounts = tuple(v for v, _ in self.texts(found["accounts"], "defaults"))
            self.default_accounts_loc = found["accounts"].loc

    # -- accounts --------------------------------------------------------------------------

    def read_accounts(self, node: YNode | None, root: YNode) -> dict[str, Account]:
        found = self.mapping(node, "accounts")
        if not found:
            self.error(
                node.loc if node else root.loc,
                "the calendar has no accounts: add at "
                "least one under 'accounts:' (name, platform and ids)",
            )
            return {}
        accounts: dict[str, Account] = {}
        for name, value in found.items():
            assert node is not None
            if not _ACCOUNT_NAME.match(name):
                self.error(
                    node.key_loc(name),
                    f"account name '{name}' may use only letters, digits, '.', '_' and '-'",
                )
                continue
            account = self.account(name, value)
            if account is not None:
                accounts[name] = account
        return accounts

    def account(self, name: str, node: YNode) -> Account | None:
        what = f"account '{name}'"
        fields = self.mapping(node, what)
        if fields is None:
            if node.mapping is None and node.scalar is not None and not node.is_null:
                return None
            self.error(
                node.loc, f"{what} needs at least 'platform: instagram' or 'platform: facebook'"
            )
            return None
        self.unknown_keys(node, ACCOUNT_KEYS, what)
        secrets = self.secrets(name, node)
        platform = self.platform(fields.get("platform"), what)
        if "platform" not in fields:
            self.error(
                node.loc,
                f"{what} has no platform: add 'platform: instagram' or 'platform: facebook'",
            )
        if platform is None:
            return None
        via = self.account_via(what, platform, node)
        ids = {
            key: self.text(fields.get(key), f"{what}: {key}")
            for key in ("page_id", "ig_user_id", "username")
        }
        self.account_ids(what, platform, via, node, ids)
        return Account(
            name=name,
            platform=platform,
            loc=node.loc,
            via=via,
            page_id=ids["page_id"],
            ig_user_id=ids["ig_user_id"],
            username=ids["username"],
            secrets=secrets,
        )

    def platform(self, node: YNode | None, what: str) -> Platform | None:
        return self.choice(node, f"{what}: platform", PLATFORMS)

    def account_via(self, what: str, platform: str, node: YNode) -> Via | None:
        fields = node.mapping or {}
        if platform != "instagram":
            if "via" in fields:
                self.warning(
                    node.key_loc("via"),
                    f"{what}: 'via' applies to Instagram only and is ignored here",
                )
            return None
        if "via" not in fields:
            return "graph"
        return self.choice(fields["via"], f"{what}: via", INSTAGRAM_VIA)

    def account_ids(
        self, what: str, platform: str, via: str | None, node: YNode, ids: dict[str, str | None]
    ) -> None:
        needed = {"facebook": "page_id", "graph": "ig_user_id", "instagrapi": "username"}
        key = needed["facebook" if platform == "facebook" else via or "graph"]
        if ids[key] is None:
            self.error(node.loc, f"{what} needs '{key}' to know where to publish")

    def secrets(self, name: str, node: YNode) -> tuple[SecretRef, ...]:
        refs: list[SecretRef] = []
        for key, value in (node.mapping or {}).items():
            text = value.scalar if value.scalar is not None and not value.is_null else None
            if text is None:
                continue
            reference = _REFERENCE.match(text.strip())
            if reference and _TOKEN_SHAPE.match(reference.group(1)):
                reference = None  # a token pasted inside ${...} is still a token written inline
            if key in SECRET_KEYS and reference:
                refs.append(SecretRef(key, reference.group(1), value.loc))
            elif key in SECRET_KEYS or _TOKEN_SHAPE.match(text.strip()):
                # Never echo the value: the message must be safe to paste into a chat or issue.
                self.error(
                    value.loc,
                    f"account '{name}': '{key}' holds a secret written inline; "
                    f"write a reference such as {key}: ${{{_env_name(name, key)}}} and put "
                    "the value in the environment or in .env beside the calendar",
                )
        return tuple(refs)

    # -- posts -----------------------------------------------------------------------------

    def read_posts(self, node: YNode | None) -> tuple[Post, ...]:
        if node is None or node.is_null:
            return ()
        if node.items is None:
            self.error(
                node.loc,
                f"posts must be a list (each item starting with '- id:'), not {node.describe()}",
            )
            return ()
        posts: list[Post] = []
        seen: dict[str, Location] = {}
        for index, item in enumerate(node.items, 1):
            post = self.post(item, index)
            if post is None:
                continue
            if post.id in seen:
                self.error(
                    post.loc,
                    f"post id '{post.id}' is used twice (first at line "
                    f"{seen[post.id].line}); ids must be unique and stable",
                )
                continue
            seen[post.id] = post.loc
            posts.append(post)
        return tuple(posts)

    def post(self, node: YNode, index: int) -> Post | None:
        fields = self.mapping(node, f"post #{index}")
        if fields is None:
            if node.mapping is None and (node.is_null or node.scalar is not None):
                self.error(
                    node.loc,
                    f"post #{index} must be a mapping with at least id, a time "
                    "and a template or caption",
                )
            return None
        post_id = self.text(fields.get("id"), f"post #{index}: id")
        if post_id is None:
            self.error(
                node.loc,
                f"post #{index} has no id: add 'id: a-short-stable-name' "
                "(it identifies the post in the history)",
            )
            return None
        if not _POST_ID.match(post_id):
            self.error(
                fields["id"].loc,
                f"post id '{post_id}' may use only letters, digits, "
                "'.', '_' and '-' (at most 100 characters)",
            )
            return None
        what = f"post '{post_id}'"
        self.unknown_keys(node, POST_KEYS, what)
        schedule = self.schedule(what, node)
        accounts, accounts_loc = self.post_accounts(what, node)
        template, caption = self.caption_source(what, node, accounts)
        return Post(
            id=post_id,
            loc=node.loc,
            accounts=accounts,
            schedule=schedule or Schedule(),
            template=template,
            caption=caption,
            caption_loc=fields["caption"].loc if "caption" in fields else None,
            template_loc=fields["template"].loc if "template" in fields else None,
            vars=self.vars(fields.get("vars"), f"{what}: vars"),
            media=self.media(what, fields.get("media")),
            kind=self.choice(fields.get("kind"), f"{what}: kind", KINDS) or "feed",
            category=self.text(fields.get("category"), f"{what}: category"),
            status=self.choice(fields.get("status"), f"{what}: status", STATUSES) or "approved",
            accounts_loc=accounts_loc,
            link=self.link(what, fields.get("link")),
        )

    def link(self, what: str, node: YNode | None) -> str | None:
        url = self.text(node, f"{what}: link")
        if url is not None and node is not None and not url.startswith(("https://", "http://")):
            self.error(node.loc, f"{what}: link must start with https:// or http://")
            return None
        return url

    def post_accounts(self, what: str, node: YNode) -> tuple[tuple[str, ...], Location]:
        fields = node.mapping or {}
        if "accounts" not in fields:
            if not self.default_accounts:
                self.error(
                    node.loc,
                    f"{what} has no accounts: add 'accounts: [name]' or set defaults.accounts",
                )
            return self.default_accounts, self.default_accounts_loc or node.loc
        found = self.texts(fields["accounts"], f"{what}: accounts")
        if not found:
            self.error(fields["accounts"].loc, f"{what}: accounts is empty")
        return tuple(name for name, _ in found), fields["accounts"].loc

    def check_account_refs(self, what: str, names: list[tuple[str, Location]]) -> None:
        for name, where in names:
            if name not in self.accounts and self.accounts:
                known = ", ".join(sorted(self.accounts))
                self.error(
                    where,
                    f"{what}: account '{name}' is not defined under accounts (defined: {known})",
                )

    def caption_source(
        self, what: str, node: YNode, accounts: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        fields = node.mapping or {}
        template = self.text(fields.get("template"), f"{what}: template")
        caption = self.text(fields.get("caption"), f"{what}: caption")
        if template is not None and caption is not None:
            self.error(fields["caption"].loc, f"{what} has both template and caption; keep one")
        elif template is None and caption is None:
            self.error(
                node.loc,
                f"{what} has no text: add 'template: NAME' (a file in "
                "templates/) or 'caption: ...'",
            )
        if template is not None:
            self.check_template(what, template, fields["template"].loc, accounts)
        if "accounts" in fields:
            names = self.texts(fields["accounts"], f"{what}: accounts")
        else:
            names = [(n, self.default_accounts_loc or node.loc) for n in accounts]
        self.check_account_refs(what, names)
        return template, caption

    def check_template(
        self, what: str, name: str, where: Location, accounts: tuple[str, ...]
    ) -> None:
        wrong = check_template_name(name)
        if wrong:
            self.error(where, f"{what}: {wrong}")
            return
        templates_dir = self.folder / "templates"
        platforms = {self.accounts[a].platform for a in accounts if a in self.accounts}
        for platform in sorted(platforms) or ["facebook"]:
            if (name, platform) not in self.templates_found:
                found = find_template(templates_dir, name, platform)
                self.templates_found[(name, platform)] = found
            if self.templates_found[(name, platform)] is None:
                stem = name.removesuffix(".j2")
                self.error(
                    where,
                    f"{what}: template '{name}' not found: create "
                    f"templates/{stem}.j2 (or templates/{stem}.{platform}.j2)",
                )
                return

    def media(self, what: str, node: YNode | None) -> tuple[MediaRef, ...]:
        refs: list[MediaRef] = []
        for relative, where in self.texts(node, f"{what}: media"):
            if relative not in self.media_found:
                self.media_found[relative] = resolve_media(self.folder, relative)
            target = self.media_found[relative]
            if target is None:
                self.error(
                    where,
                    f"{what}: media '{relative}' must be a path inside the "
                    "calendar's folder, e.g. media/poster.jpg",
                )
            elif not is_file(target):
                self.error(
                    where,
                    f"{what}: media file '{relative}' not found (paths are "
                    "relative to the calendar's folder)",
                )
            else:
                refs.append(MediaRef(relative, where))
        return tuple(refs)

    # -- when ------------------------------------------------------------------------------

    def schedule(self, what: str, node: YNode) -> Schedule | None:
        fields = node.mapping or {}
        given = [key for key in WHEN_KEYS if key in fields]
        if not given:
            self.error(node.loc, f"{what} has no time: give one of at, dates, cron or rrule")
            return None
        for extra in given[1:]:
            self.error(
                node.key_loc(extra),
                f"{what}: '{extra}' and '{given[0]}' both given; "
                "keep exactly one of at, dates, cron, rrule",
            )
        first = self.parsed(fields.get("from"), f"{what}: from", values.parse_date)
        until = self.parsed(fields.get("until"), f"{what}: until", values.parse_date)
        if first and until and until < first:
            self.error(fields["until"].loc, f"{what}: until ({until}) is before from ({first})")
        time_of_day = self.parsed(fields.get("time"), f"{what}: time", values.parse_time)
        kind = given[0]
        self.unused_when_keys(what, node, kind)
        schedule = Schedule(first=first, until=until, time_of_day=time_of_day)
        if kind == "at":
            when = self.parsed(fields["at"], f"{what}: at", self.moment)
            return Schedule(at=when) if when else None
        if kind == "dates":
            return self.dates(what, fields["dates"], schedule)
        if kind == "cron":
            cron = self.parsed(fields["cron"], f"{what}: cron", values.parse_cron)
            return replace(schedule, cron=cron) if cron else None
        return self.rrule(what, node, schedule)

    def unused_when_keys(self, what: str, node: YNode, kind: str) -> None:
        unused = {"at": ("from", "until", "time"), "cron": ("time",)}.get(kind, ())
        for key in unused:
            if key in (node.mapping or {}):
                self.warning(
                    node.key_loc(key), f"{what}: '{key}' has no effect with '{kind}' and is ignored"
                )

    def moment(self, text: str) -> datetime:
        return values.parse_datetime(text, self.tz)

    def dates(self, what: str, node: YNode, schedule: Schedule) -> Schedule | None:
        found = self.texts(node, f"{what}: dates")
        if not found:
            self.error(node.loc, f"{what}: dates is empty")
            return None
        moments = []
        for text, where in found:
            moment = self.one_date(what, text, where, schedule.time_of_day)
            if moment is not None:
                moments.append(moment)
        return replace(schedule, dates=tuple(sorted(set(moments))))

    def one_date(self, what: str, text: str, where: Location, at: time | None) -> datetime | None:
        text = text.strip()
        try:
            if len(text) == 10 and at is not None:
                return datetime.combine(values.parse_date(text), at, tzinfo=self.tz)
            return values.parse_datetime(text, self.tz)
        except ValueError as exc:
            hint = (
                "" if at is not None or len(text) != 10 else " (or add 'time: HH:MM' to the post)"
            )
            self.error(where, f"{what}: dates: {exc}{hint}")
            return None

    def rrule(self, what: str, node: YNode, schedule: Schedule) -> Schedule | None:
        fields = node.mapping or {}
        rule = self.parsed(fields["rrule"], f"{what}: rrule", _rrule_text)
        if rule is None:
            return None
        upper = rule.upper()
        if schedule.first is None:
            self.error(
                fields["rrule"].loc,
                f"{what}: an rrule counts from a first day: add 'from: YYYY-MM-DD'",
            )
            return None
        if "BYHOUR" not in upper and schedule.time_of_day is None:
            self.error(
                fields["rrule"].loc,
                f"{what}: the rrule has no time of day: add "
                "'time: \"09:00\"' or BYHOUR=9;BYMINUTE=0",
            )
            return None
        return replace(schedule, rrule=rule)

    # -- holidays and rules ----------------------------------------------------------------

    def read_holidays(self, node: YNode | None) -> Holidays | None:
        fields = self.mapping(node, "holidays")
        if fields is None or node is None:
            return None
        self.unknown_keys(node, HOLIDAY_KEYS, "holidays")
        country = self.text(fields.get("country"), "holidays: country")
        if country is None:
            self.error(node.loc, "holidays needs 'country: ID' (ISO country code)")
            return None
        language = self.text(fields.get("language"), "holidays: language") or "id"
        if not self.known_country(country, language, fields.get("country") or node):
            return None
        at = self.parsed(fields.get("at"), "holidays: at", values.parse_time) or time(7, 0)
        accounts, accounts_loc = self.post_accounts("holidays", node)
        template, caption = self.caption_source("holidays", node, accounts)
        return Holidays(
            country=country.upper(),
            at=at,
            accounts=accounts,
            loc=node.loc,
            template=template,
            caption=caption,
            caption_loc=fields["caption"].loc if "caption" in fields else None,
            template_loc=fields["template"].loc if "template" in fields else None,
            media=self.media("holidays", fields.get("media")),
            skip=tuple(v for v, _ in self.texts(fields.get("skip"), "holidays: skip")),
            only=tuple(v for v, _ in self.texts(fields.get("only"), "holidays: only")),
            language=language,
            kind=self.choice(fields.get("kind"), "holidays: kind", KINDS) or "feed",
            status=self.choice(fields.get("status"), "holidays: status", STATUSES) or "approved",
            accounts_loc=accounts_loc,
        )

    def known_country(self, country: str, language: str, node: YNode) -> bool:
        import holidays

        supported = holidays.list_supported_countries()
        if country.upper() not in supported:
            self.error(
                node.loc, f"holidays: country '{country}' is not known; use an ISO code such as ID"
            )
            return False
        languages = holidays.country_holidays(country.upper()).supported_languages
        if language not in languages:
            self.error(
                node.loc,
                f"holidays: language '{language}' is not available for "
                f"{country.upper()} (available: {', '.join(sorted(languages))})",
            )
            return False
        return True

    def read_rules(self, node: YNode | None) -> Rules:
        fields = self.mapping(node, "rules")
        if fields is None or node is None:
            return Rules()
        self.unknown_keys(node, RULE_KEYS, "rules")
        minimum = self.integer(
            fields.get("min_posts_per_week"), "rules: min_posts_per_week", 0, 1000
        )
        grace = self.parsed(fields.get("grace"), "rules: grace", values.parse_duration)
        return Rules(
            min_posts_per_week=1 if minimum is None else minimum,
            grace=grace if grace is not None else Rules().grace,
            blocked_words=tuple(
                w for w, _ in self.texts(fields.get("blocked_words"), "rules: blocked_words")
            ),
            warn_words=tuple(
                w for w, _ in self.texts(fields.get("warn_words"), "rules: warn_words")
            ),
            loc=node.loc,
            min_posts_loc=fields["min_posts_per_week"].loc
            if "min_posts_per_week" in fields
            else node.loc,
            blocked_loc=fields["blocked_words"].loc if "blocked_words" in fields else node.loc,
        )


def _rrule_text(text: str) -> str:
    rule = values.normalize_rrule(text)
    values.check_rrule(rule)
    return rule


def _env_name(account: str, key: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", f"{account}_{key}".upper()).strip("_")


def read_calendar(root: YNode, path: Path) -> tuple[Calendar, list[Problem]]:
    """The calendar in ``root`` and every problem found while reading it."""
    reader = _Reader(path)
    calendar = reader.calendar(root)
    return calendar, reader.problems
