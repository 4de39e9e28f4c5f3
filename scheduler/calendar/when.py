"""When a post happens: the schedule keys of a post (``at``, ``dates``, ``cron``, ``rrule``,
with ``from``, ``until`` and ``time``), read into a ``Schedule``.

Exactly one of the four kinds is allowed; ``from``/``until``/``time`` narrow or complete it,
and a key that has no effect with the kind given is a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from scheduler.calendar import values
from scheduler.calendar.fields import Fields
from scheduler.calendar.model import Schedule
from scheduler.calendar.yamltree import YNode
from scheduler.i18n import _
from scheduler.problems import Location, Problem

WHEN_KEYS = ("at", "dates", "cron", "rrule")
# Keys that mean nothing beside a kind: ``at`` is one moment, cron's hours are its time.
_NO_EFFECT = {"at": ("from", "until", "time"), "cron": ("time",)}

# Each kind of schedule is read from its own node, within the span of from/until/time.
_ReadKind = Callable[[str, YNode, Schedule], Schedule | None]


class ScheduleReader(Fields):
    def __init__(self, problems: list[Problem], tz: ZoneInfo) -> None:
        super().__init__(problems)
        self.tz = tz
        self.kinds: dict[str, _ReadKind] = {
            "at": self.at,
            "dates": self.dates,
            "cron": self.cron,
            "rrule": self.rrule,
        }

    def schedule(self, what: str, node: YNode) -> Schedule | None:
        """The post's schedule, or ``None`` (after an error) when it has no usable one."""
        kind = self.kind(what, node)
        if kind is None:
            return None
        fields = node.mapping or {}
        span = self.span(what, fields)
        self.unused_keys(what, node, kind)
        found = self.kinds[kind](what, fields[kind], span)
        if found is None:
            return None
        return replace(found, loc=fields[kind].loc, until_loc=span.until_loc)

    def kind(self, what: str, node: YNode) -> str | None:
        given = [key for key in WHEN_KEYS if key in (node.mapping or {})]
        if not given:
            self.error(
                node.loc,
                _("{what} has no time: give one of at, dates, cron or rrule").format(what=what),
            )
            return None
        for extra in given[1:]:
            self.error(
                node.key_loc(extra),
                _(
                    "{what}: '{extra}' and '{value}' both given; keep exactly one of at, dates, "
                    "cron, rrule"
                ).format(what=what, extra=extra, value=given[0]),
            )
        return given[0]

    def span(self, what: str, fields: dict[str, YNode]) -> Schedule:
        """``from``, ``until`` and ``time``: read whatever the kind, so mistakes still show."""
        first = self.parsed(fields.get("from"), f"{what}: from", values.parse_date)
        until = self.parsed(fields.get("until"), f"{what}: until", values.parse_date)
        if first and until and until < first:
            self.error(
                fields["until"].loc,
                _("{what}: until ({until}) is before from ({first})").format(
                    what=what, until=until, first=first
                ),
            )
        time_of_day = self.parsed(fields.get("time"), f"{what}: time", values.parse_time)
        until_loc = fields["until"].loc if until else None
        return Schedule(first=first, until=until, time_of_day=time_of_day, until_loc=until_loc)

    def unused_keys(self, what: str, node: YNode, kind: str) -> None:
        for key in _NO_EFFECT.get(kind, ()):
            if key in (node.mapping or {}):
                self.warning(
                    node.key_loc(key),
                    _("{what}: '{key}' has no effect with '{kind}' and is ignored").format(
                        what=what, key=key, kind=kind
                    ),
                )

    def at(self, what: str, node: YNode, span: Schedule) -> Schedule | None:
        when = self.parsed(node, f"{what}: at", self.moment)
        return Schedule(at=when) if when else None

    def moment(self, text: str) -> datetime:
        return values.parse_datetime(text, self.tz)

    def dates(self, what: str, node: YNode, span: Schedule) -> Schedule | None:
        found = self.texts(node, f"{what}: dates")
        if not found:
            self.error(node.loc, _("{what}: dates is empty").format(what=what))
            return None
        moments = []
        for text, where in found:
            moment = self.one_date(what, text, where, span.time_of_day)
            if moment is not None:
                moments.append(moment)
        return replace(span, dates=tuple(sorted(set(moments))))

    def one_date(self, what: str, text: str, where: Location, at: time | None) -> datetime | None:
        text = text.strip()
        try:
            if len(text) == 10 and at is not None:
                return datetime.combine(values.parse_date(text), at, tzinfo=self.tz)
            return values.parse_datetime(text, self.tz)
        except ValueError as exc:
            hint = (
                ""
                if at is not None or len(text) != 10
                else _(" (or add 'time: HH:MM' to the post)")
            )
            self.error(where, f"{what}: dates: {exc}{hint}")
            return None

    def cron(self, what: str, node: YNode, span: Schedule) -> Schedule | None:
        cron = self.parsed(node, f"{what}: cron", values.parse_cron)
        return replace(span, cron=cron) if cron else None

    def rrule(self, what: str, node: YNode, span: Schedule) -> Schedule | None:
        rule = self.parsed(node, f"{what}: rrule", _rrule_text)
        if rule is None:
            return None
        if span.first is None:
            self.error(
                node.loc,
                _("{what}: an rrule counts from a first day: add 'from: YYYY-MM-DD'").format(
                    what=what
                ),
            )
            return None
        if "BYHOUR" not in rule.upper() and span.time_of_day is None:
            self.error(
                node.loc,
                _(
                    "{what}: the rrule has no time of day: add 'time: \"09:00\"' or "
                    "BYHOUR=9;BYMINUTE=0"
                ).format(what=what),
            )
            return None
        return replace(span, rrule=rule)


def _rrule_text(text: str) -> str:
    rule = values.normalize_rrule(text)
    values.check_rrule(rule)
    return rule
