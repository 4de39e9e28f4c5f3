"""Located problems: the one currency of every check jadwal makes.

A problem names a file, a 1-based line and column, a severity and a message that says what
to do. ``str(problem)`` is the ``PATH:LINE:COL: severity: message`` line that editors and CI
logs understand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

# A note is no problem: something worth knowing (an occurrence ``on_holidays`` moved) that
# neither fails ``check`` nor counts among its warnings.
Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    path: str
    line: int = 1
    column: int = 1

    def __reduce__(self) -> tuple[type[Location], tuple[str, int, int]]:
        # A kept calendar (calendar.kept) holds tens of thousands of these: pickled as their
        # three fields, not through the dataclass's own state, which costs twice as long.
        return Location, (self.path, self.line, self.column)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    message: str

    @classmethod
    def at(cls, where: Location, severity: Severity, message: str) -> Problem:
        return cls(where.path, where.line, where.column, severity, message)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.severity, p.message))
