"""Every ``check`` of the suite, said again in Indonesian.

``check_calendar`` is wrapped before any test module imports it: each time a test checks a
calendar in English, the same calendar is checked again with ``JADWAL_LANG=id``, and the two
lists must hold the same problems at the same places with the same severities, each message
in Indonesian (not the English again). So every error case a test writes — the tables of
tests/test_check*.py, the holidays', the templates', the YAML mistakes — is an error case in
Indonesian too, and a message added without its translation fails the test that meets it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import scheduler.check
from scheduler import i18n
from scheduler.problems import Problem

# Messages that read the same in both languages: only a value jadwal did not write.
SAME = ("reel", "story")

Check = Callable[..., list[Problem]]


ORIGINAL: Check = scheduler.check.check_calendar


def install() -> None:
    original = ORIGINAL
    if getattr(scheduler.check.check_calendar, "mirrored", False):
        return

    def check_calendar(path: Path, today: date | None = None) -> list[Problem]:
        found = original(path, today)
        if i18n.language() == "en" and os.environ.get("JADWAL_LANG") == "en":
            compare(found, said_in_indonesian(original, path, today))
        return found

    check_calendar.mirrored = True  # type: ignore[attr-defined]
    check_calendar.__doc__ = original.__doc__
    scheduler.check.check_calendar = check_calendar


def said_in_indonesian(original: Check, path: Path, today: date | None) -> list[Problem]:
    os.environ["JADWAL_LANG"] = "id"
    i18n.set_language("id")
    try:
        return original(path, today)
    finally:
        os.environ["JADWAL_LANG"] = "en"
        i18n.set_language("en")


def compare(english: list[Problem], indonesian: list[Problem]) -> None:
    def place(p: Problem) -> tuple[str, int, int, str]:
        return p.path, p.line, p.column, p.severity

    # Sorted by place in both: a message's words may sort it differently within one place.
    assert sorted(map(place, english)) == sorted(map(place, indonesian)), (
        "the Indonesian check located its problems differently"
    )
    untranslated = [
        str(e) for e, i in zip(english, indonesian, strict=True)
        if e.message == i.message and e.message not in SAME
    ]  # fmt: skip
    assert untranslated == [], f"said in English under JADWAL_LANG=id: {untranslated}"
