"""Which permissions an account's token carries, read the way Meta documents it for the
token at hand (the ``token``, ``permissions`` and ``insights`` lines of ``accounts check``).

- With the app's id and secret (``app_id``/``app_secret`` on the account), ``debug_token``
  reads any token's scopes, a Page token's too: its reference asks for an app access token
  (or an app developer's user token), so the token being checked can never inspect itself.
- Without them, a user token (a system user's too) lists its own grants on the User
  permissions edge, ``/me/permissions``.
- A Page token has no such edge (its ``/me`` is the Page): each capability is shown by a read
  that needs it and changes nothing. What no read can show is a warning, never a FIX: a
  check that cannot pass would keep a paused account paused for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.adapters.base import CheckResult
from scheduler.adapters.graph.client import Graph
from scheduler.adapters.graph.errors import AUTH_CODES, PERMISSION_CODES
from scheduler.adapters.graph.token import INVALID, check_failure
from scheduler.errors import AuthError, PublishError, Transient
from scheduler.i18n import N_, _, ngettext

# debug_token's ``type`` for each kind of token, in words.
KINDS = {
    "PAGE": N_("a Page token"),
    "USER": N_("a user token"),
    "SYSTEM_USER": N_("a system user token"),
}
PAGE_ONLY = N_(
    "posts to a Page need that Page's access token (GET /me/accounts with this token lists it)"
)


@dataclass(frozen=True)
class Probe:
    """A read that changes nothing and fails with a permission error (code 10 or 200–299)
    unless the token carries every one of ``proves``."""

    path: str
    params: dict[str, str]
    proves: tuple[str, ...]


@dataclass(frozen=True)
class Needs:
    """What one route needs, from Meta's reference of each endpoint it calls."""

    publish: tuple[str, ...]
    insights: tuple[str, ...]  # what reading insights needs: a warning when missing
    user_only: tuple[str, ...] = ()  # needed with a user token, not with a Page token
    business: tuple[str, ...] = ()  # one of them, when the Page role is Business Manager's
    page_token: bool = False  # only a Page token can post as the Page
    publish_probes: tuple[Probe, ...] = ()
    insight_probes: tuple[Probe, ...] = ()
    unreadable: tuple[str, ...] = ()  # what no read shows with a Page token alone
    targets: tuple[tuple[str, str], ...] = ()  # scope prefix -> the id it must be granted for
    page: str | None = None  # the Page a Page token must belong to


@dataclass(frozen=True)
class Token:
    kind: str  # a key of KINDS
    granted: frozenset[str] | None  # None: a Page token read without the app


def check_permissions(graph: Graph, needs: Needs, app_token: str | None) -> list[CheckResult]:
    """The token line, then the permission lines; only the token line when it failed."""
    try:
        token = _debugged(graph, app_token, needs) if app_token else _listed(graph)
    except PublishError as exc:
        return [_token_failure(exc, app=app_token is not None)]
    if token is None:
        return [CheckResult("token", False, _(INVALID))]
    kind = _(KINDS[token.kind])
    if needs.page_token and token.kind != "PAGE":
        said = _("valid, but {kind}: {fix}").format(kind=kind, fix=_(PAGE_ONLY))
        return [CheckResult("token", False, said)]
    elsewhere = _other_page(graph, needs.page) if token.kind == "PAGE" else None
    if elsewhere is not None:
        return [CheckResult("token", False, elsewhere)]
    results = [CheckResult("token", True, _("valid ({kind})").format(kind=kind))]
    if token.granted is None:
        return results + _probed(graph, needs)
    return results + _granted(token, needs)


def _other_page(graph: Graph, page: str | None) -> str | None:
    """What to fix when a Page token is another Page's (its ``/me`` is its own Page): an
    office with several Pages may paste the wrong one. A failed read says nothing here; the
    reads after it tell."""
    if not page:
        return None
    try:
        me = graph.get("me", fields="id,name")
    except PublishError:
        return None
    found = str(me.get("id") or page)
    if found == page:
        return None
    said = _(
        "this is the token of Page {found} ({name}), not of page_id {page}: "
        "use the token of the account's own Page"
    )
    return said.format(found=found, name=me.get("name", "?"), page=page)


def _token_failure(exc: PublishError, *, app: bool) -> CheckResult:
    if exc.code in AUTH_CODES:
        # With the app, debug_token answers for a dead token: a 190 is the app's own token.
        what = _("the app could not inspect the token (#{code}): check app_id and app_secret")
        return CheckResult("token", False, what.format(code=exc.code_text) if app else _(INVALID))
    failure = check_failure(exc, "token")
    if not isinstance(exc, AuthError | Transient):
        failure = _("{failure}: issue a new token").format(failure=failure)
    return CheckResult("token", False, failure)


def _debugged(graph: Graph, app_token: str, needs: Needs) -> Token | None:
    """``debug_token`` with the app's token: None when the token is no longer valid.

    A permission granted for some Pages or accounts only (``granular_scopes`` with
    ``target_ids``) counts only when this account's Page or Instagram user is among them.
    """
    info = graph.token_info(app_token)
    if not info.get("is_valid", False):
        return None
    granted = set(info.get("scopes") or ())
    for grant in info.get("granular_scopes") or ():
        scope, targets = str(grant.get("scope")), grant.get("target_ids")
        target = next((i for prefix, i in needs.targets if scope.startswith(prefix)), None)
        if targets and target and target not in targets:
            granted.discard(scope)
    kind = str(info.get("type") or "USER").upper()
    return Token(kind if kind in KINDS else "USER", frozenset(granted))


def _listed(graph: Graph) -> Token:
    """``/me/permissions``: a user token's grants; a Page token has no such edge (code 100)."""
    try:
        answer = graph.get("me/permissions")
    except PublishError as exc:
        if exc.code == 100:
            return Token("PAGE", None)
        raise
    rows = answer.get("data") or []
    granted = {str(row.get("permission")) for row in rows if row.get("status") == "granted"}
    return Token("USER", frozenset(granted))


def _granted(token: Token, needs: Needs) -> list[CheckResult]:
    granted = token.granted or frozenset()
    wanted = needs.publish + (needs.user_only if token.kind != "PAGE" else ())
    results = [_publish_line([p for p in wanted if p not in granted], wanted)]
    if needs.business and not granted & set(needs.business):
        results.append(CheckResult("permissions", True, _business(needs.business), True))
    results.append(_insights_line([p for p in needs.insights if p not in granted], needs))
    return results


def _probed(graph: Graph, needs: Needs) -> list[CheckResult]:
    """A Page token without the app: what the harmless reads show."""
    missing, failure = _run(graph, needs.publish_probes)
    if failure is not None:
        return [CheckResult("permissions", False, failure)]
    shown = tuple(p for probe in needs.publish_probes for p in probe.proves)
    results = [_publish_line(missing, shown, one_of=True)]
    if needs.unreadable:
        results.append(CheckResult("permissions", True, _unreadable(needs.unreadable), True))
    lacking, failure = _run(graph, needs.insight_probes)
    if failure is not None:
        results.append(CheckResult("insights", True, failure, True))
    else:
        # What the publishing reads showed granted is not what the insights read lacks.
        lacking = [p for p in lacking if p in missing or p not in shown]
        results.append(_insights_line(lacking, needs, one_of=True))
    return results


def _run(graph: Graph, probes: tuple[Probe, ...]) -> tuple[list[str], str | None]:
    """The permissions the failed reads name, or what kept a read from answering."""
    missing: list[str] = []
    for probe in probes:
        try:
            graph.get(probe.path, **probe.params)
        except PublishError as exc:
            if exc.code not in PERMISSION_CODES:
                return [], check_failure(exc, "permissions")
            missing.extend(p for p in probe.proves if p not in missing)
    return missing, None


def _publish_line(missing: list[str], wanted: tuple[str, ...], one_of: bool = False) -> CheckResult:
    if not missing:
        return CheckResult(
            "permissions", True, _("granted: {names}").format(names=", ".join(wanted))
        )
    names = ", ".join(missing)
    if one_of and len(missing) > 1:
        said = _("missing one of: {names}: grant them to the app and issue a new token")
    else:
        said = ngettext(
            "missing: {names}: grant it to the app and issue a new token",
            "missing: {names}: grant them to the app and issue a new token",
            len(missing),
        )
    return CheckResult("permissions", False, said.format(names=names))


def _insights_line(missing: list[str], needs: Needs, one_of: bool = False) -> CheckResult:
    if not missing:
        granted = _("granted: {names}").format(names=", ".join(needs.insights))
        return CheckResult("insights", True, granted)
    if one_of and len(missing) > 1:
        said = _(
            "missing one of {names}: posts go out without it; their insights can't be read "
            "until it is granted"
        )
    else:
        said = _(
            "missing {names}: posts go out without it; their insights can't be read until it "
            "is granted"
        )
    return CheckResult("insights", True, said.format(names=", ".join(missing)), True)


def _business(one_of: tuple[str, ...]) -> str:
    said = _(
        "neither {names} is granted: Instagram needs one of them when your role on the Page "
        "comes through Business Manager"
    )
    return said.format(names=_(" nor ").join(one_of))


def _unreadable(names: tuple[str, ...]) -> str:
    said = _(
        "{names} cannot be read with a Page token alone: add app_id and app_secret to the "
        "account to check it here (the first post shows it otherwise)"
    )
    return said.format(names=", ".join(names))
