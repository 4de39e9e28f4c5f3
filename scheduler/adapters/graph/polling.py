"""When to read an Instagram container's status while Meta processes its media.

Meta's content publishing guide recommends reading a container's status about once a minute,
for no more than five minutes. An image is usually ready within seconds and a video within a
minute or two, so the reads start after a few seconds and back off to once a minute: an image
post normally takes one read, at most three; a video that never finishes takes nine over
five minutes, where a tight loop would take dozens. Carousel children are read in the same
rounds, not one after another.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    first: float = 2.0  # seconds before the first read
    factor: float = 2.0
    cap: float = 60.0  # then about once a minute
    limit: float = 300.0  # no more than five minutes in all

    def pauses(self) -> Iterator[float]:
        """The pause before each status read, until the next would pass ``limit``."""
        waited, pause = 0.0, self.first
        while waited + pause <= self.limit:
            yield pause
            waited += pause
            pause = min(pause * self.factor, self.cap)


DEFAULT = Schedule()
