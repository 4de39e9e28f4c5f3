"""Instagram through the Instagram API with Instagram Login (``via: instagram_login``).

The same content kinds and container flow as ``instagram`` (the Graph route through a Page,
whose code this reuses), with what differs: the host (``graph.instagram.com``, or
``JADWAL_INSTAGRAM_URL`` for tests and proxies), the token (an Instagram User token kept
alive by ``igtoken``), the id (``ig_user_id``, or ``me``: the token's own account), and the
media, which Meta fetches from ``media.public_base_url`` only (the platform rules refuse a
post without it). Permissions come from Meta's reference of each call: ``instagram_business_
basic`` and ``instagram_business_content_publish`` to publish (shown by the harmless
``content_publishing_limit`` read), ``instagram_business_manage_insights`` for the reports.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from scheduler.adapters.base import CheckResult, Draft, Progress, Published
from scheduler.adapters.credentials import token_for
from scheduler.adapters.graph.client import Graph
from scheduler.adapters.graph.igtoken import Kept, TokenKeeper
from scheduler.adapters.graph.insights import Operations, read_instagram
from scheduler.adapters.graph.instagram import InstagramGraphAdapter
from scheduler.adapters.graph.permissions import Needs, Probe, _probed
from scheduler.adapters.graph.token import check_failure
from scheduler.adapters.metrics import Readings, Target
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import AuthError, Offline, PublishError
from scheduler.i18n import N_, _, check_date, ngettext

log = logging.getLogger("jadwal")

DEFAULT_INSTAGRAM_URL = "https://graph.instagram.com"
IG_LOGIN_PUBLISH = ("instagram_business_basic", "instagram_business_content_publish")
IG_LOGIN_INSIGHTS = ("instagram_business_manage_insights",)
# After what a token's expiry says, as accounts check and the token_expiring notification say it.
REFRESH_FAILED = N_("; the last refresh failed: {failure}")


def instagram_url() -> str:
    return (os.environ.get("JADWAL_INSTAGRAM_URL") or DEFAULT_INSTAGRAM_URL).rstrip("/")


def login_needs(user: str) -> Needs:
    return Needs(
        publish=IG_LOGIN_PUBLISH,
        insights=IG_LOGIN_INSIGHTS,
        publish_probes=(
            Probe(f"{user}/content_publishing_limit", {"fields": "quota_usage"}, IG_LOGIN_PUBLISH),
        ),
        insight_probes=(
            Probe(f"{user}/insights", {"metric": "reach", "period": "day"}, IG_LOGIN_INSIGHTS),
        ),
    )


class InstagramLoginAdapter(InstagramGraphAdapter):
    def __init__(self, calendar: Calendar, account: Account, **kwargs: object) -> None:
        self.keeper = TokenKeeper(account.name, token_for(calendar, account), instagram_url())
        self._token = self.keeper.token(datetime.now(UTC))
        graph = Graph(self._token, instagram_url(), calendar.graph_version, needs=IG_LOGIN_PUBLISH)
        super().__init__(calendar, account, graph=graph, **kwargs)  # type: ignore[arg-type]
        self.user = account.ig_user_id or "me"

    def publish(self, draft: Draft, progress: Progress) -> Published:
        self._current()
        return super().publish(draft, progress)

    def insights(self, targets: list[Target], followers: bool) -> Readings:
        """As through a Page, one read at a time: the Instagram Login host documents no
        batch requests."""
        self._current()
        return read_instagram(Operations(self.graph, batching=False), self.user, targets, followers)

    def _current(self) -> None:
        """The newest token (another process may have refreshed it since)."""
        token = self.keeper.token(datetime.now(UTC))
        if token != self._token:
            self._token = token
            self.graph = Graph(
                token, instagram_url(), self.calendar.graph_version, needs=IG_LOGIN_PUBLISH
            )

    def keep_alive(self, now: datetime) -> None:
        """The daemon's and tick's upkeep: refresh the token when it is due."""
        try:
            kept = self.keeper.refresh_if_due(now)
        except Offline:
            return  # no connection: tried again at the next run, not an attempt
        except OSError as exc:  # the token file: say where, never what it holds
            said = _("{account}: cannot keep the refreshed token: {why}")
            log.error(said.format(account=self.account.name, why=exc.strerror))
            return
        if kept is None:
            return
        if kept.failure:
            said = _("{account}: the token refresh failed: {failure}")
            log.warning(said.format(account=self.account.name, failure=kept.failure))
        else:
            said = _("{account}: token refreshed; {expiry}")
            log.info(said.format(account=self.account.name, expiry=expiry_text(kept, now)))
        self._current()

    def check(self) -> list[CheckResult]:
        now = datetime.now(UTC)
        self._current()
        results = [self._token_line(self.keeper.kept(now), now)]
        try:
            me = self.graph.get(self.user, fields="user_id,username")
        except PublishError as exc:
            return [*results, CheckResult("account", False, check_failure(exc, "account"))]
        results.append(CheckResult("account", True, f"@{me.get('username', '?')}"))
        results += _probed(self.graph, login_needs(self.user))
        results.append(self._check_route())
        return results

    def _check_route(self) -> CheckResult:
        if self.calendar.media_public_base_url:
            said = _("from {url}").format(url=self.calendar.media_public_base_url)
            return CheckResult("media", True, said)
        from scheduler.platforms.routes import NEEDS_PUBLIC_URL

        return CheckResult("media", False, _(NEEDS_PUBLIC_URL))

    def _token_line(self, kept: Kept, now: datetime) -> CheckResult:
        expires = kept.expires()
        if expires is not None and kept.expired(now):
            said = _(
                "the token expired on {day}: issue a new long-lived token and update the secret"
            )
            return CheckResult("token", False, said.format(day=check_date(expires.date())))
        text = expiry_text(kept, now)
        if kept.failure:
            failed = _(REFRESH_FAILED).format(failure=kept.failure)
            return CheckResult("token", True, text + failed, True)
        return CheckResult("token", True, text, kept.expires_soon(now))


@dataclass(frozen=True)
class TokenNotice:
    """An Instagram Login token a person should hear about: it expires within ``WARN_DAYS``,
    has expired, or its last refresh failed. ``subject`` is the same for one token (its
    expiry) until it expires, so a person is told once that it expires soon and once that it
    has expired, not once per run."""

    subject: str
    expired: bool
    text: str  # as accounts check says it


def token_notice(calendar: Calendar, account: Account, now: datetime) -> TokenNotice | None:
    """What the kept token of an ``instagram_login`` account says at ``now`` (no network)."""
    try:
        kept = TokenKeeper(account.name, token_for(calendar, account), instagram_url()).kept(now)
    except AuthError:
        return None  # no token at all: accounts check and the first post say so
    expired = kept.expired(now)
    if not (expired or kept.expires_soon(now) or kept.failure):
        return None
    expires = kept.expires()
    if expired and expires is not None:
        text = _("the token expired on {day}").format(day=check_date(expires.date()))
    else:
        text = expiry_text(kept, now)
    if kept.failure:
        text += _(REFRESH_FAILED).format(failure=kept.failure)
    line = kept.expires_at or kept.first_seen  # one line of tokens: told when soon, and expired
    return TokenNotice(f"{account.name}@{line}{'@expired' if expired else ''}", expired, text)


def expiry_text(kept: Kept, now: datetime) -> str:
    expires = kept.expires()
    if expires is None:
        return _(
            "expiry not known yet: jadwal refreshes the token 24 hours after it first used it "
            "and learns it then"
        )
    days = (expires - now).days
    said = ngettext(
        "token expires in {days} day, on {day}", "token expires in {days} days, on {day}", days
    )
    return said.format(days=days, day=check_date(expires.date()))
