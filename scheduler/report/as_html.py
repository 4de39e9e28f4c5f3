"""``--format html``: the report as one self-contained page to print and sign.

Everything is in the file: the stylesheet inline, the charts as inline SVG (``charts``), no
script, no font or picture fetched from anywhere, so it opens the same from a USB stick, an
e-mail or a shared folder, and "print to PDF" gives A4 pages (the print stylesheet) ending
with the prepared-by and approved-by block.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined

from scheduler.cache import compiled_templates
from scheduler.i18n import _, language, ngettext
from scheduler.report import charts
from scheduler.report import words as w
from scheduler.report.build import Report
from scheduler.report.page import account_name, before_jadwal, heading, not_published


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("scheduler.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=compiled_templates(),
    )
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        number=w.number,
        percent=w.percent,
        growth=w.growth,
        moment=w.moment,
        made=w.made,
        state=w.state_label,
        kind=w.kind_label,
        category=w.category_label,
        late=w.late_text,
        days=w.days,
        name=account_name,
    )
    env.globals.update(charts=charts, not_available=w.not_available)
    return env


def stylesheet() -> str:
    return (files("scheduler.report") / "templates" / "report.css").read_text(encoding="utf-8")


def as_html(report: Report) -> str:
    template = environment().get_template("report.html")
    return template.render(
        report=report,
        head=heading(report),
        month=w.month_name(report.year, report.month),
        minimum=report.calendar.rules.min_posts_per_week,
        not_published=not_published(report),
        before=before_jadwal(report),
        css=stylesheet(),
        lang=language(),
        kind_label=w.kind_label,
        category_label=w.category_label,
    )
