"""The ``accounts:`` section: where each account publishes, and its secrets by reference.

An account names its platform (and for Instagram the route, ``via``), the id the platform
knows it by, and ``${VARIABLE}`` references for its token or password. A secret written
inline is an error whose message never repeats the value.
"""

from __future__ import annotations

import re

from scheduler.calendar import keys
from scheduler.calendar.fields import NAME, Fields
from scheduler.calendar.model import (
    INSTAGRAM_VIA,
    PLATFORMS,
    Account,
    Platform,
    Route,
    SecretRef,
    Via,
)
from scheduler.calendar.yamltree import YNode
from scheduler.i18n import N_, _

ACCOUNT_KEYS = keys.ACCOUNT.names
SECRET_KEYS = ("token", "password", "app_id", "app_secret", "user_token")
APP_KEYS = ("app_id", "app_secret")
# The id each route publishes to.
_NEEDED = {"facebook": "page_id", "graph": "ig_user_id", "instagrapi": "username"}
# With Instagram Login the token is the account's own: ``me`` stands for it when no id is given.
_OPTIONAL = {"instagram_login": "ig_user_id"}

# The secret each route cannot publish without, and who asks for it. instagrapi is absent:
# `jadwal login` asks for the password when the account names none, and keeps the session.
NEEDED_SECRET: dict[Route, tuple[str, str]] = {
    "facebook": ("token", N_("the Facebook Graph API")),
    "instagram:graph": ("token", N_("the Instagram Graph API")),
    "instagram:login": ("token", N_("the Instagram API with Instagram Login")),
}

_REFERENCE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
# A reference written the shell's way (``$FB_TOKEN``, ``$(FB_TOKEN)``) or with a brace missing.
# Upper case only: a password that merely starts with '$' must never be echoed as a "name".
_ALMOST_REFERENCE = re.compile(r"^\$[({]?([A-Z_][A-Z0-9_]*)[)}]?$")
# Long opaque strings shaped like Meta tokens: never allowed inline, whatever the key.
_TOKEN_SHAPE = re.compile(r"^(EAA|IGQ|IGA)[A-Za-z0-9_-]{20,}$")


class AccountsReader(Fields):
    def accounts(self, node: YNode | None, root: YNode) -> dict[str, Account]:
        found = self.mapping(node, "accounts")
        if not found or node is None:
            self.error(
                (node or root).loc,
                _(
                    "the calendar has no accounts: add at least one under 'accounts:' (name, "
                    "platform and ids)"
                ),
            )
            return {}
        accounts: dict[str, Account] = {}
        for name, value in found.items():
            if not NAME.match(name):
                self.error(
                    node.key_loc(name),
                    _(
                        "account name '{name}' may use only letters, digits, '.', '_' and '-'"
                    ).format(name=name),
                )
                continue
            account = self.account(name, value)
            if account is not None:
                accounts[name] = account
        return accounts

    def account(self, name: str, node: YNode) -> Account | None:
        what = _("account '{name}'").format(name=name)
        fields = self.mapping(node, what)
        if fields is None:
            if node.is_null or node.items is not None:  # nothing, or a list: say what it needs
                self.error(
                    node.loc,
                    _("{what} needs at least 'platform: instagram' or 'platform: facebook'").format(
                        what=what
                    ),
                )
            return None
        self.unknown_keys(node, keys.ACCOUNT, what)
        secrets = self.secrets(name, node)
        platform = self.platform(what, node)
        if platform is None:
            return None
        if platform == "whatsapp":
            return self.by_hand(name, node, secrets)
        self.not_by_hand(what, node)
        via = self.via(what, platform, node)
        self.app_pair(what, node, graph=via not in ("instagrapi", "instagram_login"))
        self.video_upload(what, platform, node)
        ids = self.ids(what, platform, via, node)
        return Account(
            name=name,
            platform=platform,
            loc=node.loc,
            via=via,
            page_id=ids["page_id"],
            ig_user_id=ids["ig_user_id"],
            username=ids["username"],
            secrets=secrets,
        )

    def by_hand(self, name: str, node: YNode, secrets: tuple[SecretRef, ...]) -> Account:
        """A channel posted to by hand: no ids and no secrets, only where it is."""
        fields = node.mapping or {}
        for key in ("via", *_NEEDED.values(), *SECRET_KEYS):
            if key in fields:
                self.warning(
                    node.key_loc(key),
                    _(
                        "account '{name}': '{key}' is not used: a whatsapp account is posted to "
                        "by hand, after a reminder"
                    ).format(name=name, key=key),
                )
        channel = self.text(fields.get("channel"), f"account '{name}': channel")
        return Account(name, "whatsapp", node.loc, secrets=secrets, channel=channel)

    def not_by_hand(self, what: str, node: YNode) -> None:
        if "channel" in (node.mapping or {}):
            self.warning(
                node.key_loc("channel"),
                _("{what}: 'channel' applies to whatsapp accounts only and is ignored here").format(
                    what=what
                ),
            )

    def app_pair(self, what: str, node: YNode, *, graph: bool) -> None:
        """``app_id`` and ``app_secret`` make the app's token together: one alone is a slip.
        instagrapi signs in as a person, and an Instagram Login token's permissions are read
        with the token itself (no ``debug_token``): there they are ignored."""
        fields = node.mapping or {}
        given = [key for key in APP_KEYS if key in fields]
        if given and not graph:
            self.warning(
                node.key_loc(given[0]),
                _(
                    "{what}: '{value}' applies to Graph API accounts only and is ignored here"
                ).format(what=what, value=given[0]),
            )
        elif given == ["app_id"] and "user_token" in fields:
            return  # the app's id for the Resumable Upload API; no app token to make
        elif len(given) == 1:
            (absent,) = set(APP_KEYS) - set(given)
            self.error(
                node.key_loc(given[0]),
                _(
                    "{what} has {value} but no {absent}: accounts check needs both to read the "
                    "token's permissions with the app (or remove it)"
                ).format(what=what, value=given[0], absent=absent),
            )

    def video_upload(self, what: str, platform: str, node: YNode) -> None:
        """``user_token`` sends a Facebook Page's videos by Meta's Resumable Upload API, whose
        upload sessions belong to an app (``app_id``): one without the other is a slip."""
        fields = node.mapping or {}
        if "user_token" not in fields:
            return
        if platform != "facebook":
            self.warning(
                node.key_loc("user_token"),
                _(
                    "{what}: 'user_token' applies to Facebook accounts only and is ignored here"
                ).format(what=what),
            )
        elif "app_id" not in fields:
            self.error(
                node.key_loc("user_token"),
                _(
                    "{what} has user_token but no app_id: Meta's Resumable Upload API for Page "
                    "videos needs the app's id too (or remove user_token)"
                ).format(what=what),
            )

    def platform(self, what: str, node: YNode) -> Platform | None:
        fields = node.mapping or {}
        if "platform" not in fields:
            self.error(
                node.loc,
                _(
                    "{what} has no platform: add 'platform: instagram', 'platform: facebook' or "
                    "'platform: whatsapp'"
                ).format(what=what),
            )
            return None
        return self.choice(fields["platform"], f"{what}: platform", PLATFORMS)

    def via(self, what: str, platform: str, node: YNode) -> Via | None:
        fields = node.mapping or {}
        if platform != "instagram":
            if "via" in fields:
                self.warning(
                    node.key_loc("via"),
                    _("{what}: 'via' applies to Instagram only and is ignored here").format(
                        what=what
                    ),
                )
            return None
        if "via" not in fields:
            return "graph"
        return self.choice(fields["via"], f"{what}: via", INSTAGRAM_VIA)

    def ids(self, what: str, platform: str, via: str | None, node: YNode) -> dict[str, str | None]:
        fields = node.mapping or {}
        ids = {key: self.text(fields.get(key), f"{what}: {key}") for key in _NEEDED.values()}
        route = "facebook" if platform == "facebook" else via or "graph"
        key = _NEEDED.get(route) or _OPTIONAL[route]
        if ids[key] is None and route not in _OPTIONAL:
            self.error(
                node.loc,
                _("{what} needs '{key}' to know where to publish").format(what=what, key=key),
            )
        return ids

    def secrets(self, name: str, node: YNode) -> tuple[SecretRef, ...]:
        refs: list[SecretRef] = []
        for key, value in (node.mapping or {}).items():
            text = None if value.is_null else value.scalar
            if text is None:
                continue
            variable = _reference(text)
            almost = _almost_reference(key, text) if key in SECRET_KEYS else None
            if key in SECRET_KEYS and variable:
                refs.append(SecretRef(key, variable, value.loc))
            elif almost:
                self.error(
                    value.loc,
                    _(
                        "account '{name}': write {key}: ${{{almost}}}, with the braces: jadwal "
                        "reads a secret only from a ${{VARIABLE}} reference"
                    ).format(name=name, key=key, almost=almost),
                )
            elif key in SECRET_KEYS or _TOKEN_SHAPE.match(text.strip()):
                # Never echo the value: the message must be safe to paste into a chat or issue.
                self.error(
                    value.loc,
                    _(
                        "account '{name}': '{key}' holds a secret written inline; write a "
                        "reference such as {key}: ${{{env_name}}} and put the value in the "
                        "environment or in .env beside the calendar"
                    ).format(name=name, key=key, env_name=_env_name(name, key)),
                )
        return tuple(refs)


def _reference(text: str) -> str | None:
    """The variable ``${NAME}`` refers to; ``None`` for anything else, a token inside too."""
    match = _REFERENCE.match(text.strip())
    if match is None or _TOKEN_SHAPE.match(match.group(1)):
        return None
    return match.group(1)


def _almost_reference(key: str, text: str) -> str | None:
    """The variable a reference written without its braces means (``$FB_TOKEN``). A password
    may itself look like ``$ABC123``: there only a name with a ``_`` (``$IG_PASSWORD``) is
    read as one, so that a real password is never echoed."""
    match = _ALMOST_REFERENCE.match(text.strip())
    if match is None or (key == "password" and "_" not in match.group(1)):
        return None
    return match.group(1)


def missing_secret(account: Account) -> str | None:
    """Why ``account`` cannot publish for want of a secret key, with the line to add."""
    needed = NEEDED_SECRET.get(account.route)
    if needed is None or any(ref.key == needed[0] for ref in account.secrets):
        return None
    key, route = needed
    variable = _env_name(account.name, key)
    return _(
        "account '{name}' has no {key}, which {route} needs to publish: add '{key}: "
        "${{{variable}}}' to it and set {variable} in .env beside the calendar or in the "
        "environment"
    ).format(name=account.name, key=key, route=_(route), variable=variable)


def _env_name(account: str, key: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", f"{account}_{key}".upper()).strip("_")
