"""``jadwal check``: everything that can be verified without the network, as located problems.

After the schema (``load``), the checks here look at what the calendar *produces*: every
post renders for every account, captions fit the platform and the office's word lists, media
suits the platform, secrets are defined, and each account keeps the weekly rhythm.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from scheduler import captions, media, secrets
from scheduler.calendar.expand import Occurrence, expand, occurrence_times
from scheduler.calendar.load import read_calendar_file
from scheduler.calendar.model import Calendar, MediaRef, Post
from scheduler.files import display_path
from scheduler.problems import Location, Problem, Severity, sort_problems
from scheduler.render import Renderer, RenderError

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
            severity, message = "warning", f"{message} (draft)"
        # A weekly post with a bad caption fails the same way every week: say it once.
        key = (where.path, where.line, where.column, message)
        if key not in self.seen:
            self.seen.add(key)
            self.problems.append(Problem.at(where, severity, message))


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
    _check_media_route(calendar, report)
    renderer = Renderer(calendar)
    for occurrence in _samples(calendar, today):
        _check_occurrence(calendar, renderer, occurrence, report)
    _check_rhythm(calendar, today, report)
    return sort_problems(report.problems)


def _check_secrets(calendar: Calendar, report: _Report) -> None:
    known = secrets.environment(calendar.folder)
    for account in calendar.accounts.values():
        for ref in account.secrets:
            if ref.variable not in known:
                report.add(
                    ref.loc,
                    "warning",
                    f"account '{account.name}': ${{{ref.variable}}} "
                    "is not set here (environment or .env); publishing will need it",
                )


def _check_media_route(calendar: Calendar, report: _Report) -> None:
    staging = calendar.media_staging
    for account in calendar.accounts.values():
        if account.platform != "instagram" or account.via != "graph":
            continue
        if calendar.media_public_base_url is None and staging is None:
            report.add(
                account.loc,
                "error",
                f"account '{account.name}': the Instagram Graph "
                "API fetches media from a public URL; set media.public_base_url (where "
                "the media folder is served) or media.staging: facebook_page",
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
    return chosen


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


def _check_occurrence(
    calendar: Calendar, renderer: Renderer, occurrence: Occurrence, report: _Report
) -> None:
    post, account = occurrence.post, occurrence.account
    report.draft = post.status == "draft"
    what = f"{_label(occurrence)} for {account.name}"
    _check_kind_and_media(calendar, occurrence, report)
    try:
        caption = renderer.render(occurrence)
    except RenderError as exc:
        report.add(
            Location(exc.problem.path, exc.problem.line, exc.problem.column),
            exc.problem.severity,
            exc.problem.message,
        )
        return
    where = _text_loc(post)
    for message in captions.limit_problems(caption, account.platform):
        report.add(where, "error", f"{what}: {message}")
    rules = calendar.rules
    for word in captions.find_words(caption, rules.blocked_words):
        report.add(
            where,
            "error",
            f"{what}: caption contains the blocked word '{word}' "
            "(rules.blocked_words); rephrase it",
        )
    for word in captions.find_words(caption, rules.warn_words):
        report.add(
            where,
            "warning",
            f"{what}: caption contains '{word}' (rules.warn_words); make sure it is intended",
        )
    if not caption and account.platform == "facebook" and not post.media:
        report.add(where, "error", f"{what}: the caption renders empty and there is no media")


def _label(occurrence: Occurrence) -> str:
    # Holiday greetings share one definition: name it, not the generated per-day id.
    return "holidays" if occurrence.source == "holiday" else f"post '{occurrence.post.id}'"


def _check_kind_and_media(calendar: Calendar, occurrence: Occurrence, report: _Report) -> None:
    post, account = occurrence.post, occurrence.account
    what = _label(occurrence)
    infos = [(ref, media.inspect(calendar.folder / ref.path)) for ref in post.media]
    for ref, info in infos:
        if info.error:
            report.add(ref.loc, "error", f"{what}: media '{ref.path}' {info.error}")
        elif info.kind == "unknown":
            report.add(
                ref.loc,
                "error",
                f"{what}: media '{ref.path}' is neither an image nor "
                "a video (use JPEG/PNG images or MP4/MOV videos)",
            )
    for ref, info in infos:
        if info.kind == "video":
            _check_video(calendar, occurrence, ref, report)
    if account.platform == "instagram":
        _check_instagram(calendar, occurrence, infos, report)
    elif post.kind != "feed":
        report.add(
            post.loc,
            "warning",
            f"{what}: kind '{post.kind}' applies to Instagram; "
            f"on Facebook ({account.name}) it is published as a feed post",
        )


def _check_video(
    calendar: Calendar, occurrence: Occurrence, ref: MediaRef, report: _Report
) -> None:
    """Container, size and duration, as far as they can be read without ffmpeg."""
    from scheduler.mediaprep import check_video

    what = f"{_label(occurrence)} for {occurrence.account.name}"
    path = calendar.folder / ref.path
    for sentence in check_video(path, occurrence.platform, occurrence.post.kind):
        if sentence.startswith("Warning:"):
            note = sentence.removeprefix("Warning:").strip()
            report.add(ref.loc, "warning", f"{what}: {note}")
        else:
            report.add(ref.loc, "error", f"{what}: {sentence}")


def _check_instagram(
    calendar: Calendar,
    occurrence: Occurrence,
    infos: list[tuple[MediaRef, media.MediaInfo]],
    report: _Report,
) -> None:
    post, account = occurrence.post, occurrence.account
    what = f"{_label(occurrence)} for {account.name}"
    videos = [ref for ref, info in infos if info.kind == "video"]
    if post.link:
        report.add(
            post.loc,
            "warning",
            f"{what}: Instagram captions have no clickable links; "
            "'link' is used on Facebook only (write the address in the caption or bio)",
        )
    if not infos:
        report.add(post.loc, "error", f"{what}: Instagram needs an image or a video; add media")
        return
    if post.kind == "reel" and (len(infos) != 1 or not videos):
        report.add(post.loc, "error", f"{what}: a reel needs exactly one video (MP4 or MOV)")
    if post.kind == "story" and len(infos) != 1:
        report.add(post.loc, "error", f"{what}: a story takes exactly one image or video")
    if post.kind == "feed" and len(infos) > 10:
        report.add(
            post.loc,
            "error",
            f"{what}: an Instagram carousel takes at most 10 items, not {len(infos)}",
        )
    if post.kind == "feed" and len(infos) == 1 and videos:
        report.add(
            post.loc,
            "warning",
            f"{what}: Instagram publishes a single video as a reel; consider 'kind: reel'",
        )
    fetched_as_is = calendar.media_public_base_url is not None and account.via == "graph"
    for ref, info in infos:
        if info.kind != "image" or info.error:
            continue
        issues = media.instagram_image_issues(info)
        if issues and fetched_as_is:
            report.add(
                ref.loc,
                "error",
                f"{what}: media '{ref.path}' {'; '.join(issues)}; "
                "Instagram fetches it as it is from media.public_base_url, so convert it",
            )
        elif issues:
            report.add(
                ref.loc,
                "warning",
                f"{what}: media '{ref.path}' {'; '.join(issues)}; "
                "jadwal will convert it to a JPEG that fits before uploading",
            )


def _check_rhythm(calendar: Calendar, today: date, report: _Report) -> None:
    """The field guideline: at least N approved posts per account in every coming week."""
    minimum = calendar.rules.min_posts_per_week
    if minimum == 0:
        return
    monday = today - timedelta(days=today.weekday())
    last_day = monday + timedelta(weeks=HORIZON_WEEKS, days=-1)
    counts: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for occurrence in expand(calendar, monday, last_day):
        if occurrence.post.status == "approved":
            week = occurrence.at.date() - timedelta(days=occurrence.at.weekday())
            counts[occurrence.account.name][week] += 1
    where = calendar.rules.min_posts_loc or Location(display_path(calendar.path))
    weeks = [monday + timedelta(weeks=n) for n in range(HORIZON_WEEKS)]
    for name in sorted(calendar.accounts):
        thin = [w for w in weeks if counts[name][w] < minimum]
        if thin:
            listed = ", ".join(_week_label(w) for w in thin)
            report.add(
                where,
                "warning",
                f"account '{name}' has fewer than {minimum} post(s) in "
                f"{len(thin)} of the next {HORIZON_WEEKS} weeks: {listed}; add posts or "
                "a recurring series",
            )


def _week_label(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d} ({monday:%d %b}–{sunday:%d %b})"
