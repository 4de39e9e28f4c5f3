"""The site's pages as HTML text, from the Jinja2 templates in ``templates/``.

Autoescaping is on for every template: captions, titles, holiday names and errors are the
user's or a platform's text and are always shown as text. Links from the calendar or the
history (a post's ``link``, a permalink) are made links only when they are web addresses.
Every link is relative, so the folder works from ``file://`` and from any web server path.

Where each page lives (``*_file``): ``index.html``; per month ``2026-12.html`` (the grid)
and ``2026-12-daftar.html`` (the list); per post and time ``post/<slug>.html``; the
stylesheet ``site.css``; the media copies in ``media/``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from scheduler.cache import compiled_templates
from scheduler.i18n import _, language, ngettext
from scheduler.problems import Problem
from scheduler.render.dates import zone_name
from scheduler.secrets import scrub
from scheduler.site import words
from scheduler.site.entries import Entry, slug_of
from scheduler.site.looks import FacebookLook, InstagramLook, Looks, Picture
from scheduler.views.month import Month
from scheduler.views.strip import Strip
from scheduler.views.symbols import SYMBOLS
from scheduler.words import kind_word, state_word

STYLESHEET = "site.css"
POSTS = "post"
WEB = ("https://", "http://")


def month_file(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}.html"


def list_file(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-daftar.html"


def post_file(slug: str) -> str:
    return f"{POSTS}/{slug}.html"


def web_address(url: str | None) -> str | None:
    """``url`` when it is a web address a link may point to (never ``javascript:``)."""
    return url if url and url.startswith(WEB) else None


@dataclass(frozen=True)
class Site:
    """What every page knows: the months written (for the navigation) and the zone."""

    months: tuple[tuple[int, int], ...]
    zone: str  # e.g. "WIB (Asia/Jakarta)"
    minimum: int  # rules.min_posts_per_week


def zone_label(key: str, sample: datetime) -> str:
    short = zone_name(sample)
    return f"{short} ({key})" if short and short != key else key


@dataclass(frozen=True)
class PostLooks:
    """A post page's looks: each card's on Instagram or on Facebook, and its pictures."""

    cards: tuple[tuple[InstagramLook | None, FacebookLook | None], ...]
    media: tuple[Picture, ...]

    def copies(self) -> tuple[str, ...]:
        """The media copies the page shows, each once: a page not drawn again still needs
        them (``Output.page``)."""
        pictures: list[Picture] = list(self.media)
        for instagram, facebook in self.cards:
            if instagram is not None:
                pictures += [*instagram.slides, *([instagram.grid] if instagram.grid else [])]
            if facebook is not None:
                pictures += [picture for row in facebook.rows for _, picture in row]
                pictures += [facebook.video] if facebook.video else []
        return tuple(dict.fromkeys(p.thumb.src for p in pictures if p.thumb.src is not None))


class Places:
    """Where a problem is, as ``path:line:column`` with the path relative to the calendar's
    folder: a page put on the web does not tell where the calendar lies on the computer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._paths: dict[str, str] = {}

    def __call__(self, problem: Problem) -> str:
        if problem.path not in self._paths:
            path = Path(problem.path)
            resolved = (path if path.is_absolute() else Path.cwd() / path).resolve()
            shown = (
                resolved.relative_to(self.folder)
                if resolved.is_relative_to(self.folder)
                else path.name
            )
            self._paths[problem.path] = Path(shown).as_posix()
        return f"{self._paths[problem.path]}:{problem.line}:{problem.column}"


# Macros that draw the same thing for the same values (a weekly post's pictures, a state):
# Pages calls them through a cache, so each is drawn once, not on each of thousands of pages.
CACHED_MACROS = {
    "_cards.html": ("ig_slides", "ig_grid", "fb_photos", "media_list"),
    "_macros.html": ("state", "line"),
}


def environment(site: Site) -> Environment:
    """The templates, with autoescaping on, strict about names, and the site's helpers, in
    the language in force when it is made (``_`` and the words of dates and states): one
    environment draws one run's pages."""
    env = Environment(
        loader=PackageLoader("scheduler.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates ship with jadwal: no stat per page
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=compiled_templates(),
    )
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    _add_helpers(env, site)
    for template, names in CACHED_MACROS.items():
        module = env.get_template(template).module
        env.globals.update({name: functools.cache(getattr(module, name)) for name in names})
    return env


def _add_helpers(env: Environment, site: Site) -> None:
    """The filters and names the templates use, the words in the language in force."""
    env.filters.update(
        hashtags=words.with_hashtags,
        clock=words.clock,
        day_long=words.day_long,
        day_short=words.day_short,
        moment_long=words.moment_long,
        web_address=web_address,
    )
    env.globals.update(
        site=site,
        symbols=SYMBOLS,
        lang=language(),
        state_word=state_word,
        kind_word=kind_word,
        short_days=words.week_days(short=True),
        long_days=words.week_days(),
        month_name=words.month_name,
        month_file=month_file,
        list_file=list_file,
        post_file=post_file,
        slug_of=slug_of,
        stylesheet=STYLESHEET,
    )


class Pages:
    def __init__(self, site: Site, looks: Looks, secrets: Sequence[str] = ()) -> None:
        self.site = site
        self.looks = looks
        self.env = environment(site)
        self.env.filters["place"] = Places(looks.folder)
        # What the history says of a publication came from a platform: blanked again here,
        # as every message jadwal writes is, since a page may end up on the web.
        self.env.filters["scrubbed"] = lambda text: scrub(text, secrets)
        self._navs: dict[tuple[str, tuple[int, int] | None], Markup] = {}

    def _render(
        self, template: str, root: str, here: tuple[int, int] | None, **values: object
    ) -> str:
        nav = self._nav(root, here)
        return self.env.get_template(template).render(root=root, here=here, nav=nav, **values)

    def _nav(self, root: str, here: tuple[int, int] | None) -> Markup:
        """The months' links, made once per month and folder, not once per page."""
        if (root, here) not in self._navs:
            made = self.env.get_template("_nav.html").render(root=root, here=here)
            self._navs[(root, here)] = Markup(made)
        return self._navs[(root, here)]

    def index(self, current: tuple[int, int], counts: dict[tuple[int, int], int]) -> str:
        return self._render("index.html", "", None, current=current, counts=counts)

    def month(self, month: Month, strips: Sequence[Strip]) -> str:
        here = (month.year, month.month)
        return self._render("month.html", "", here, month=month, strips=strips)

    def month_list(self, month: Month) -> str:
        here = (month.year, month.month)
        return self._render("list.html", "", here, month=month)

    def looks_of(self, entry: Entry) -> PostLooks:
        """What the post page draws of its cards' pictures and text (the page's fingerprint
        is made from these too)."""
        cards = tuple(
            (
                self.looks.instagram(c) if c.occurrence.platform == "instagram" else None,
                self.looks.facebook(c) if c.occurrence.platform == "facebook" else None,
            )
            for c in entry.cards
        )
        first = entry.cards[0]
        media = tuple(self.looks.picture(first, i, "photo") for i in range(len(entry.post.media)))
        return PostLooks(cards, media)

    def post(self, entry: Entry, looks: PostLooks) -> str:
        here = (entry.day.year, entry.day.month)
        cards = [(card, ig, fb) for card, (ig, fb) in zip(entry.cards, looks.cards, strict=True)]
        return self._render("post.html", "../", here, entry=entry, cards=cards, media=looks.media)
