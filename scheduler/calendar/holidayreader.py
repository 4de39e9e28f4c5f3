"""The ``holidays:`` section: the country, the section's greeting, the days it greets.

``HolidaysReader.holidays`` reads the country and language (each checked against the
``holidays`` package), the greeting's accounts, text and media (what posts and greetings
share, read by ``PostsReader.content``), ``skip``/``only``, ``observances``, the office's own
days (``extra``) and the days' own greetings (``greetings``). Which names ``skip``, ``only``
and ``greetings`` may use is checked later, by ``check``, against the years it looks at.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import time

from scheduler.calendar import holidaylib, keys, values
from scheduler.calendar.fields import Fields
from scheduler.calendar.holidays import CATEGORY
from scheduler.calendar.model import TONES, DayGreeting, Holidays, LocalDay, Post, Schedule
from scheduler.calendar.posts import PostsReader
from scheduler.calendar.yamltree import YNode
from scheduler.i18n import _
from scheduler.problems import Location

_DAY = re.compile(r"^(?:(?P<year>\d{4})-)?(?P<month>\d{2})-(?P<day>\d{2})$")
LEAP_YEAR = 2000  # a month-day that exists in no year is refused; 29 February exists


class HolidaysReader(Fields):
    def __init__(self, posts: PostsReader) -> None:
        super().__init__(posts.problems)
        self.posts = posts

    def holidays(self, node: YNode | None) -> Holidays | None:
        fields = self.mapping(node, "holidays")
        if fields is None or node is None:
            return None
        self.unknown_keys(node, keys.HOLIDAYS, "holidays")
        country = self.text(fields.get("country"), "holidays: country")
        if country is None:
            self.error(node.loc, _("holidays needs 'country: ID' (ISO country code)"))
            return None
        language = self.text(fields.get("language"), "holidays: language") or "id"
        if not self.known_country(country, language, fields["country"]):
            return None
        greeting = Post(
            id="hari-besar",  # each holiday's post gets its own id and time (holiday_post)
            loc=node.loc,
            schedule=Schedule(),
            category=CATEGORY,
            **self.posts.content("holidays", node),
        )
        named = {key: self.texts(fields.get(key), f"holidays: {key}") for key in ("skip", "only")}
        greetings, skipped = self.greetings(fields.get("greetings"), greeting)
        return Holidays(
            country=country.upper(),
            at=self.parsed(fields.get("at"), "holidays: at", values.parse_time) or time(7, 0),
            greeting=greeting,
            skip=(*(text for text, _where in named["skip"]), *skipped),
            only=tuple(text for text, _where in named["only"]),
            language=language,
            named=(
                *((key, text, where) for key, found in named.items() for text, where in found),
                *(("greetings", own.name, own.loc) for own in greetings),
                *(("greetings", name, where) for name, where in skipped.items()),
            ),
            observances=bool(self.flag(fields.get("observances"), "holidays: observances")),
            extra=self.extra(fields.get("extra")),
            greetings=greetings,
        )

    def known_country(self, country: str, language: str, node: YNode) -> bool:
        holidays = holidaylib.package()
        from holidays.registry import EntityLoader

        # The registry's codes: list_supported_countries() has the same, but builds every
        # country's list of subdivisions on the way (6 MB).
        if country.upper() not in set(EntityLoader.get_country_codes()):
            self.error(
                node.loc,
                _("holidays: country '{country}' is not known; use an ISO code such as ID").format(
                    country=country
                ),
            )
            return False
        languages = holidays.country_holidays(country.upper()).supported_languages
        if language not in languages:
            self.error(
                node.loc,
                _(
                    "holidays: language '{language}' is not available for {country} (available: "
                    "{names})"
                ).format(
                    language=language, country=country.upper(), names=", ".join(sorted(languages))
                ),
            )
            return False
        return True

    def extra(self, node: YNode | None) -> tuple[LocalDay, ...]:
        if node is None or node.is_null:
            return ()
        if node.items is None:
            message = _("holidays: extra must be a list of days (each starting with '- name:')")
            self.error(node.loc, message)
            return ()
        found = (self.local_day(item, index) for index, item in enumerate(node.items, 1))
        return tuple(day for day in found if day is not None)

    def local_day(self, node: YNode, index: int) -> LocalDay | None:
        what = _("holidays: extra #{index}").format(index=index)
        fields = self.mapping(node, what)
        if fields is None:
            return None
        self.unknown_keys(node, keys.HOLIDAY_EXTRA, what)
        name = self.text(fields.get("name"), f"{what}: name")
        written = self.text(fields.get("date"), f"{what}: date")
        if name is None or written is None:
            self.error(node.loc, _("{what} needs a name and a date (MM-DD)").format(what=what))
            return None
        when = self.day_of_year(written, fields["date"].loc, f"{what}: date")
        kind = self.choice(fields.get("kind"), f"{what}: kind", TONES) or "celebration"
        if when is None:
            return None
        year, month, day = when
        return LocalDay(name.strip(), month, day, kind, node.loc, year)

    def day_of_year(
        self, text: str, where: Location, what: str
    ) -> tuple[int | None, int, int] | None:
        """``MM-DD`` (every year) or ``YYYY-MM-DD`` (that day) as (year, month, day)."""
        match = _DAY.match(text.strip())
        if match is not None:
            year = int(match["year"]) if match["year"] else None
            month, day = int(match["month"]), int(match["day"])
            try:
                values.parse_date(f"{year or LEAP_YEAR:04d}-{month:02d}-{day:02d}")
            except ValueError:
                pass
            else:
                return year, month, day
        message = _("{what}: '{text}' is no day: write MM-DD (every year) or YYYY-MM-DD")
        self.error(where, message.format(what=what, text=text))
        return None

    def greetings(
        self, node: YNode | None, section: Post
    ) -> tuple[tuple[DayGreeting, ...], dict[str, Location]]:
        """The days' own greetings, and the days that ``skip: true`` leaves out."""
        found = self.mapping(node, "holidays: greetings")
        if not found or node is None:
            return (), {}
        greetings: list[DayGreeting] = []
        skipped: dict[str, Location] = {}
        for name, entry in found.items():
            where = node.key_loc(name)
            what = f"holidays: greetings: {name}"
            fields = self.mapping(entry, what)
            if fields is None:
                if entry.is_null:  # a name alone would quietly change nothing
                    message = _("{what}: give it template, caption, media, accounts or skip: true")
                    self.error(where, message.format(what=what))
                continue
            self.unknown_keys(entry, keys.GREETING, what)
            if self.flag(fields.get("skip"), f"{what}: skip"):
                skipped[name] = where
                continue
            greetings.append(DayGreeting(name, self.day_post(what, entry, section), where))
        return tuple(greetings), skipped

    def day_post(self, what: str, node: YNode, section: Post) -> Post:
        """The section's greeting with what this day's entry gives instead."""
        fields = node.mapping or {}
        post = section
        if "accounts" in fields:
            accounts, where = self.posts.publishers(what, node)
            post = replace(post, accounts=accounts, accounts_loc=where)
        if "template" in fields or "caption" in fields:
            template, caption = self.posts.caption_source(what, node, post.accounts)
            post = replace(
                post,
                template=template,
                caption=caption,
                template_loc=fields["template"].loc if "template" in fields else None,
                caption_loc=fields["caption"].loc if "caption" in fields else None,
            )
        if "media" in fields:
            post = replace(post, media=self.posts.media(what, fields["media"]))
        return replace(post, loc=node.loc)
