"""How close the app is to Meta's rate limits, from the headers Meta adds to its answers.

Meta's "Rate Limits" page: ``X-App-Usage`` (Platform Rate Limits: ``call_count``,
``total_cputime``, ``total_time``, each a percentage of the limit) and
``X-Business-Use-Case-Usage`` (Business Use Case limits, which Instagram and Page tokens
meet: per business id a list of ``{type, call_count, total_cputime, total_time,
estimated_time_to_regain_access}``, the last in minutes); ``X-Page-Usage`` has the shape of
the first. Reads that are not urgent (insights) stop above ``LIMIT`` per cent, well before
Meta starts refusing, so that publishing never meets a limit that reading used up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

LIMIT = 75  # per cent of any of Meta's counters
PAUSE = timedelta(minutes=30)  # Meta's counters cover a rolling hour: half of it, at least
HEADERS = ("x-app-usage", "x-page-usage")
BUC_HEADER = "x-business-use-case-usage"
COUNTERS = ("call_count", "total_cputime", "total_time")


@dataclass(frozen=True)
class Usage:
    percent: int  # the busiest counter
    regain: timedelta | None  # Meta's estimate of when access is back, when it gave one

    @property
    def too_high(self) -> bool:
        return self.percent >= LIMIT

    @property
    def hold(self) -> timedelta:
        return max(self.regain or PAUSE, PAUSE)


def usage_of(headers: Mapping[str, str]) -> Usage | None:
    """The busiest counter the answer's headers name; None when they name none."""
    found: list[int] = []
    regain: list[int] = []
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in HEADERS:
        found += _counters([_json(lowered.get(name))])
    buc = _json(lowered.get(BUC_HEADER))
    if isinstance(buc, dict):
        for entries in buc.values():
            rows = entries if isinstance(entries, list) else []
            found += _counters(rows)
            regain += [_int(row.get("estimated_time_to_regain_access")) for row in _dicts(rows)]
    if not found:
        return None
    minutes = max(regain, default=0)
    return Usage(max(found), timedelta(minutes=minutes) if minutes else None)


def _counters(rows: Iterable[Any]) -> list[int]:
    return [_int(row.get(counter)) for row in _dicts(rows) for counter in COUNTERS]


def _dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [row for row in rows if isinstance(row, dict)]


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None  # a header Meta garbled is no reason to stop reading


def _int(value: object) -> int:
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
