"""``jadwal check``: everything that can be verified without the network, as located problems.

After the schema (``load``), the checks here look at what the calendar *produces*: every
account names the secret its route needs (and the variable is set), ``holidays`` names real
holidays, schedules fire when they seem to (``calendar.timing``), every post renders for every
account, captions fit the platform and the office's word lists, media suits the platform,
every ``vars`` key is read by a template, and each account keeps the weekly rhythm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from scheduler import secrets
from scheduler.calendar.accounts import missing_secret
from scheduler.calendar.expand import Occurrence, expand, occurrence_times
from scheduler.calendar.fields import either
from scheduler.calendar.holidays import holiday_post, unknown_kinds, unknown_names
from scheduler.calendar.load import read_calendar_file
from scheduler.calendar.model import Calendar, MediaRef, Post
from scheduler.calendar.rhythm import thin_weeks, week_start
from scheduler.calendar.timing import schedule_warnings
from scheduler.checkdays import days_off_notes
from scheduler.files import display_path
from scheduler.i18n import _, ngettext, people_day
from scheduler.platforms.destination import Destination
from scheduler.platforms.findings import Finding
from scheduler.platforms.rules import (
    MediaPlan,
    account_findings,
    caption_key,
    media_plan,
    plan,
    sends_images,
)
from scheduler.platforms.steps import Plan
from scheduler.problems import Location, Problem, Severity, sort_problems
from scheduler.render import Renderer, RenderError
from scheduler.render.listvars import texts_for_lists
from scheduler.render.unused import unused_vars

HORIZON_WEEKS = 12
SAMPLE_DAYS = 366


@dataclass
class _Report:
    problems: list[Problem] = field(default_factory=list)
    seen: set[tuple[str, int, int, str]] = field(default_factory=set)
    draft: bool = False

    def add(self, where: Location, severity: Severity, message: str) -> None:
        if self.draft and severity == "error":
            # A draft is never published: its gaps are reminders, not reasons to fail CI.
            severity, message = "warning", _("{message} (draft)").format(message=message)
        # A weekly post with a bad caption fails the same way every week: say it once.
        self.keep(Problem.at(where, severity, message))

    def keep(self, problem: Problem) -> None:
        """``problem`` as it is (a draft's already said as a warning), unless said already."""
        key = (problem.path, problem.line, problem.column, problem.message)
        if key not in self.seen:
            self.seen.add(key)
            self.problems.append(problem)


def check_calendar(path: Path, today: date | None = None) -> list[Problem]:
    """Every problem in the calendar at ``path``, sorted by place; errors make it unusable.

    ``today`` starts the 12-week rhythm check; by default, today in the calendar's zone.
    """
    calendar, problems = read_calendar_file(path)
    if calendar is None:
        return problems
    today = today or datetime.now(calendar.timezone).date()
    report = _Report(list(problems))
    if any(p.is_error for p in problems):
        # References may be missing; rendering would only repeat those errors.
        return sort_problems(report.problems)
    _check_secrets(calendar, report)
    _check_holiday_names(calendar, today, report)
    _check_holiday_kinds(calendar, today, report)
    for where, message in days_off_notes(calendar, today, HORIZON_WEEKS):
        report.add(where, "note", message)
    for post in calendar.posts:
        for where, message in schedule_warnings(post, calendar.timezone, today):
            report.add(where, "warning", message)
    _check_media_route(calendar, report)
    checks = OccurrenceChecks(calendar, with_account=False)  # said once: _check_media_route
    for occurrence in _samples(calendar, today):
        for problem in checks(occurrence)[1]:
            report.keep(problem)
    _check_unused_vars(calendar, checks.renderer, report)
    _check_rhythm(calendar, today, report)
    return sort_problems(report.problems)


def _check_secrets(calendar: Calendar, report: _Report) -> None:
    """A secret key the route needs is an error when it is missing; a variable that is not
    set only a warning, since ``check`` runs in CI and in rehearsals without credentials."""
    known = secrets.environment(calendar.folder)
    for account in calendar.accounts.values():
        missing = missing_secret(account)
        if missing:
            report.add(account.loc, "error", missing)
        for ref in account.secrets:
            if ref.variable not in known:
                report.add(
                    ref.loc,
                    "warning",
                    _(
                        "account '{name}': ${{{variable}}} is not set here (environment or .env); "
                        "publishing will need it"
                    ).format(name=account.name, variable=ref.variable),
                )


def _check_holiday_names(calendar: Calendar, today: date, report: _Report) -> None:
    """``skip``/``only`` names against the holidays of the years ``check`` looks at."""
    if calendar.holidays is None:
        return
    years = range(today.year, (today + timedelta(SAMPLE_DAYS)).year + 1)
    for where, message in unknown_names(calendar.holidays, years):
        report.add(where, "error", message)


def _check_holiday_kinds(calendar: Calendar, today: date, report: _Report) -> None:
    """Said once: the greeted days whose tone jadwal does not know get a festive word."""
    spec = calendar.holidays
    if spec is None:
        return
    years = range(today.year, (today + timedelta(SAMPLE_DAYS)).year + 1)
    unknown = unknown_kinds(spec, years)
    if unknown:
        message = ngettext(
            "holidays: jadwal does not know the tone of {names}: it is greeted as a "
            'celebration ("Selamat …"); give it words of its own under holidays.greetings',
            "holidays: jadwal does not know the tone of {names}: they are greeted as "
            'celebrations ("Selamat …"); give them words of their own under holidays.greetings',
            len(unknown),
        )
        report.add(spec.loc, "warning", message.format(names=either(tuple(unknown))))


def _check_media_route(calendar: Calendar, report: _Report) -> None:
    for account in calendar.accounts.values():
        if account.route != "instagram:login" and not sends_images(calendar, account.name):
            continue  # videos need no route through a Page: without a public URL they are uploaded
        for finding in account_findings(Destination.of(calendar, account)):
            report.add(
                account.loc,
                finding.severity,
                _("account '{name}': {message}").format(name=account.name, message=finding.message),
            )


def _samples(calendar: Calendar, today: date) -> list[Occurrence]:
    """Occurrences to render: all in the next weeks, and at least one of every post."""
    horizon = today + timedelta(weeks=HORIZON_WEEKS)
    chosen = expand(calendar, today, horizon)
    covered = {(o.post.id, o.account.name) for o in chosen}
    tz = calendar.timezone
    for post in calendar.posts:
        moments = occurrence_times(post.schedule, tz, horizon, today + timedelta(SAMPLE_DAYS))
        moment = moments[0] if moments else _nominal_moment(post, tz)
        for name in post.accounts:
            account = calendar.accounts[name]
            if (post.id, name) not in covered:
                chosen.append(Occurrence(post, account, moment))
    return chosen + _own_greetings(calendar, today)


def _own_greetings(calendar: Calendar, today: date) -> list[Occurrence]:
    """One occurrence of each day's own greeting (``holidays.greetings``), rendered for
    ``today`` if its day is not in the weeks ahead: Lebaran's words are checked in December."""
    spec = calendar.holidays
    if spec is None:
        return []
    out: list[Occurrence] = []
    for own in spec.greetings:
        post = holiday_post(spec, today, own.name, calendar.timezone)
        at = datetime.combine(today, spec.at, tzinfo=calendar.timezone)
        accounts = (calendar.accounts[n] for n in post.accounts if n in calendar.accounts)
        out.extend(Occurrence(post, a, at, "holiday", own.name) for a in accounts)
    return out


def _nominal_moment(post: Post, tz: object) -> datetime:
    """A moment to render a post that has none in the coming year (past or far future)."""
    schedule = post.schedule
    if schedule.at is not None:
        return schedule.at
    if schedule.dates:
        return schedule.dates[0]
    first = schedule.first or schedule.until or date.today()
    return datetime.combine(first, schedule.time_of_day or datetime.min.time(), tzinfo=tz)  # type: ignore[arg-type]


def _text_loc(post: Post) -> Location:
    return post.caption_loc or post.template_loc or post.loc


def occurrence_problems(
    calendar: Calendar, renderer: Renderer, occurrence: Occurrence
) -> tuple[str | None, list[Problem]]:
    """One occurrence's rendered caption (None when it cannot be rendered) and what ``check``
    says of it, its account's media route included: the site shows both on the post's page."""
    report = _Report()
    caption = _check_occurrence(calendar, renderer, occurrence, report, with_account=True)
    return caption, sort_problems(report.problems)


class OccurrenceChecks:
    """``occurrence_problems`` for many occurrences (the site asks it of every post of a
    year). The verdict on a caption and media for an account is the same each time they
    are the same, so it is reached once per post, account and rendered caption: a weekly
    post whose caption does not change is judged once, not fifty times."""

    def __init__(self, calendar: Calendar, with_account: bool = True) -> None:
        self.calendar = calendar
        self.with_account = with_account  # the account's own findings, on each post's page
        self.renderer = Renderer(calendar)
        self._verdicts: dict[tuple[str, str, str | None], list[Problem]] = {}
        self._destinations: dict[str, Destination] = {}
        self._media: dict[tuple[str, str, object], MediaPlan] = {}

    def __call__(self, occurrence: Occurrence) -> tuple[str | None, list[Problem]]:
        report = _Report(draft=occurrence.post.status == "draft")
        caption = _render_into(self.renderer, occurrence, report)
        post, account = occurrence.post, occurrence.account
        destination = self._destinations.get(account.name)
        if destination is None:
            destination = self._destinations[account.name] = Destination.of(self.calendar, account)
        # The media half once per post, account and caption_key; the caption's own rules
        # for each caption (a weekly post whose caption names its date is judged 50 times).
        media_key = (post.id, account.name, caption_key(destination, caption))
        media = self._media.get(media_key)
        if media is None:
            files = _media_paths(self.calendar.folder, post.media)
            media = media_plan(destination, post.kind, files, caption, post.link)
            self._media[media_key] = media
        key = (post.id, account.name, caption)
        if key not in self._verdicts:
            verdict = _Report(draft=report.draft)
            _report_plan(occurrence, media.with_caption(caption), verdict, self.with_account)
            self._verdicts[key] = verdict.problems
        found = report.problems + [p for p in self._verdicts[key] if p not in report.problems]
        return caption, sort_problems(found)


def _check_occurrence(
    calendar: Calendar,
    renderer: Renderer,
    occurrence: Occurrence,
    report: _Report,
    with_account: bool = False,
) -> str | None:
    """The occurrence's caption and media, through the same verdict the adapters reach."""
    report.draft = occurrence.post.status == "draft"
    caption = _render_into(renderer, occurrence, report)
    _judge(calendar, occurrence, caption, report, with_account)
    return caption


def _render_into(renderer: Renderer, occurrence: Occurrence, report: _Report) -> str | None:
    """The caption, or None with the reason it cannot be rendered added to ``report``."""
    try:
        return renderer.render(occurrence)
    except RenderError as exc:
        found = exc.problem
        report.add(Location(found.path, found.line, found.column), found.severity, found.message)
        return None


def _judge(
    calendar: Calendar,
    occurrence: Occurrence,
    caption: str | None,
    report: _Report,
    with_account: bool,
) -> None:
    post, account = occurrence.post, occurrence.account
    media = _media_paths(calendar.folder, post.media)
    verdict = plan(Destination.of(calendar, account), post.kind, media, caption, post.link)
    _report_plan(occurrence, verdict, report, with_account)


def _report_plan(
    occurrence: Occurrence, verdict: Plan, report: _Report, with_account: bool
) -> None:
    """The verdict's findings as located problems."""
    post, account = occurrence.post, occurrence.account
    for finding in verdict.findings:
        if finding.where != "account":  # said once per account by _check_media_route
            report.add(_where(post, finding), finding.severity, _said(occurrence, finding))
        elif with_account:
            report.add(
                account.loc,
                finding.severity,
                _("account '{name}': {message}").format(name=account.name, message=finding.message),
            )


@lru_cache(maxsize=1024)
def _media_paths(folder: Path, media: tuple[MediaRef, ...]) -> tuple[Path, ...]:
    # The same Path objects for each of a post's occurrences: pathlib keeps what it works
    # out of a path (its text, its parts) on the object, and the rules ask for it often.
    return tuple(folder / ref.path for ref in media)


def _where(post: Post, finding: Finding) -> Location:
    if isinstance(finding.where, int):
        return post.media[finding.where].loc
    return _text_loc(post) if finding.where == "text" else post.loc


def _said(occurrence: Occurrence, finding: Finding) -> str:
    # Holiday greetings share one definition: name it, not the generated per-day id.
    label = (
        "holidays"
        if occurrence.source == "holiday"
        else _("post '{id}'").format(id=occurrence.post.id)
    )
    if finding.per_account:
        label += _(" for {name}").format(name=occurrence.account.name)
    return f"{label}: {finding.message}"


def _check_unused_vars(calendar: Calendar, renderer: Renderer, report: _Report) -> None:
    """Warnings at ``vars`` keys that no template reads: mostly misspelt names."""
    for found in [*unused_vars(calendar, renderer), *texts_for_lists(calendar, renderer)]:
        report.add(Location(found.path, found.line, found.column), found.severity, found.message)


def _check_rhythm(calendar: Calendar, today: date, report: _Report) -> None:
    """The field guideline: at least N approved posts per account in every coming week."""
    minimum = calendar.rules.min_posts_per_week
    if minimum == 0:
        return
    where = calendar.rules.min_posts_loc or Location(display_path(calendar.path))
    for name, thin in thin_weeks(calendar, week_start(today), HORIZON_WEEKS).items():
        if thin:
            listed = ", ".join(_week_label(w) for w in thin)
            report.add(
                where,
                "warning",
                _(
                    "account '{name}' has fewer than {minimum} post(s) in {count} of the next "
                    "{weeks} weeks: {listed}; add posts or a recurring series"
                ).format(
                    name=name, minimum=minimum, count=len(thin), weeks=HORIZON_WEEKS, listed=listed
                ),
            )


def _week_label(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d} ({people_day(monday)}–{people_day(sunday)})"
