"""``Destination``: where a post goes and under which rules, as ``rules.plan`` reads them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from scheduler.calendar.model import Account, Calendar, Route


@dataclass(frozen=True)
class Destination:
    """Where a post goes and under which rules: the account's route and the calendar's
    media settings and word lists."""

    account: str
    route: Route
    folder: Path
    public_base_url: str | None = None
    staging: str | None = None
    page_id: str | None = None
    blocked_words: tuple[str, ...] = ()
    warn_words: tuple[str, ...] = ()
    resumable_videos: bool = False  # a Facebook Page's videos by the Resumable Upload API

    @classmethod
    def of(cls, calendar: Calendar, account: Account) -> Destination:
        return cls(
            account.name,
            account.route,
            calendar.folder,
            calendar.media_public_base_url,
            calendar.media_staging,
            account.page_id,
            calendar.rules.blocked_words,
            calendar.rules.warn_words,
            account.resumable_videos,
        )

    @property
    def platform(self) -> str:
        return self.route.split(":")[0]

    def name(self, path: Path) -> str:
        """The media path as the calendar writes it (relative to the calendar's folder)."""
        return _relative_name(self.folder, path)

    def url(self, path: Path) -> str | None:
        """Where Meta fetches ``path`` from ``media.public_base_url``; None outside media/."""
        assert self.public_base_url is not None
        try:
            relative = path.resolve().relative_to((self.folder / "media").resolve())
        except ValueError:
            return None
        return f"{self.public_base_url.rstrip('/')}/{quote(relative.as_posix())}"


@lru_cache(maxsize=1024)
def _relative_name(folder: Path, path: Path) -> str:
    # Asked for every file of every occurrence a check renders; a path computation only.
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)
