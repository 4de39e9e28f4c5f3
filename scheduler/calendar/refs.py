"""Where the files a calendar names live: caption templates and media.

Both stay inside the calendar's folder: a template name or media path that would leave it
(``../../etc/passwd``, an absolute path) is refused, so a calendar from a pull request cannot
make jadwal read or publish files from elsewhere on the machine.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from scheduler.i18n import _

TEMPLATE_SUFFIX = ".j2"


def template_stem(name: str) -> str:
    """``pengumuman`` and ``pengumuman.j2`` both name ``templates/pengumuman.j2``."""
    return name[: -len(TEMPLATE_SUFFIX)] if name.endswith(TEMPLATE_SUFFIX) else name


def check_template_name(name: str) -> str | None:
    """Why ``name`` can't be a template name, or ``None`` when it can."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not name.strip():
        return _("the template name is empty")
    if name.startswith(("/", "\\")) or ".." in parts or ":" in name:
        return _("template '{name}' must be a file inside templates/, e.g. pengumuman").format(
            name=name
        )
    return None


def template_candidates(name: str, platform: str) -> list[str]:
    """Template file names to try, most specific first: the platform variant, then the base."""
    stem = template_stem(name)
    return [f"{stem}.{platform}{TEMPLATE_SUFFIX}", f"{stem}{TEMPLATE_SUFFIX}"]


def find_template(templates_dir: Path, name: str, platform: str) -> str | None:
    """The template file (relative to ``templates_dir``) used for ``platform``, if any exists."""
    for candidate in template_candidates(name, platform):
        try:
            if (templates_dir / candidate).is_file():
                return candidate
        except (OSError, ValueError):  # a name too long for the file system, a NUL byte
            return None
    return None


def resolve_media(folder: Path, relative: str) -> Path | None:
    """The media file's absolute path, or ``None`` when the path leaves the calendar folder."""
    if not relative.strip() or Path(relative).is_absolute():
        return None
    base = folder.resolve()
    try:
        target = (base / relative).resolve()
    except (OSError, ValueError):  # a NUL byte, a loop of symbolic links
        return None
    if target != base and base not in target.parents:
        return None
    return target


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system
        return False


def similar_media(folder: Path, relative: str) -> str | None:
    """The file ``relative`` means when it differs only in letter case or in slash direction
    (``Media\\poster.JPG`` for ``media/poster.jpg``): a Windows laptop finds that file, the
    server does not. ``None`` when there is no such file (or more than one)."""
    parts = [part for part in relative.replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    here = folder
    for part in parts:
        try:
            names = [entry.name for entry in here.iterdir()]
        except OSError:
            return None
        found = [name for name in names if name == part] or [
            name for name in names if name.casefold() == part.casefold()
        ]
        if len(found) != 1:
            return None
        here = here / found[0]
    shown = here.relative_to(folder).as_posix()
    return shown if shown != relative and is_file(here) else None


Question = tuple[str, str, str]


class Looks:
    """The calendar's folder as reading a calendar sees it: each question (is there such a
    template, such a media file, a file it probably means) asked once per read, and kept
    with its answer.

    The answers are what a kept calendar stands on (``scheduler.calendar.kept``): it is used
    again only while the folder still gives every one of them. So every look reading takes
    at the folder goes through here; a look taken elsewhere would leave a kept calendar
    blind to a file created or deleted.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.answers: dict[Question, object] = {}

    def template(self, name: str, platform: str) -> str | None:
        """The template file used for ``platform`` (``find_template``), if there is one."""
        found = self._ask(("template", name, platform))
        return found if isinstance(found, str) else None

    def media(self, relative: str) -> tuple[Path | None, bool]:
        """The media file's path (``None``: it leaves the folder) and whether it is a file."""
        found = self._ask(("media", relative, ""))
        assert isinstance(found, tuple)
        return found

    def similar(self, relative: str) -> str | None:
        """The file ``relative`` probably means (``similar_media``), if there is one."""
        found = self._ask(("similar", relative, ""))
        return found if isinstance(found, str) else None

    def unchanged(self) -> bool:
        """Whether the folder still answers every question as it did."""
        return all(_answer(self.folder, q) == kept for q, kept in self.answers.items())

    def _ask(self, question: Question) -> object:
        if question not in self.answers:
            self.answers[question] = _answer(self.folder, question)
        return self.answers[question]


def _answer(folder: Path, question: Question) -> object:
    kind, name, platform = question
    if kind == "template":
        return find_template(folder / "templates", name, platform)
    if kind == "media":
        target = resolve_media(folder, name)
        return target, target is not None and is_file(target)
    if kind == "similar":
        return similar_media(folder, name)
    raise ValueError(f"unknown question {kind!r}")
