"""The ``posts:`` section, and what a post shares with the holiday greetings.

``PostsReader.posts`` reads the list of posts (ids unique, each with a schedule);
``PostsReader.content`` reads the keys a post and ``holidays:`` have in common: which accounts
publish, the template or caption, media, kind and status. Templates and media files are looked
up here, inside the calendar's folder, so a missing file is a located error at ``check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict
from zoneinfo import ZoneInfo

from scheduler.calendar import keys
from scheduler.calendar.fields import NAME, Fields, loc_of
from scheduler.calendar.model import (
    KINDS,
    ON_HOLIDAYS,
    STATUSES,
    Account,
    Kind,
    MediaRef,
    OnHolidays,
    Post,
    Schedule,
    Status,
)
from scheduler.calendar.refs import Looks, check_template_name
from scheduler.calendar.when import ScheduleReader
from scheduler.calendar.yamltree import YNode
from scheduler.i18n import _
from scheduler.problems import Location, Problem

POST_KEYS = keys.POST.names


@dataclass(frozen=True)
class Defaults:
    """``defaults:``: the accounts of every post (and of the greetings) that names none, and
    what a post that says nothing of it does on days off."""

    accounts: tuple[str, ...] = ()
    loc: Location | None = None
    on_holidays: OnHolidays = "keep"


class Content(TypedDict):
    """The fields ``Post`` and ``Holidays`` share, read by one method for both."""

    accounts: tuple[str, ...]
    accounts_loc: Location
    template: str | None
    template_loc: Location | None
    caption: str | None
    caption_loc: Location | None
    media: tuple[MediaRef, ...]
    kind: Kind
    status: Status


class PostsReader(Fields):
    def __init__(
        self,
        problems: list[Problem],
        looks: Looks,
        tz: ZoneInfo,
        accounts: dict[str, Account],
        defaults: Defaults,
    ) -> None:
        super().__init__(problems)
        self.looks = looks  # the folder; many posts share a template or an image
        self.when = ScheduleReader(problems, tz)
        self.accounts = accounts
        self.defaults = defaults

    def posts(self, node: YNode | None) -> tuple[Post, ...]:
        if node is None or node.is_null:
            return ()
        if node.items is None:
            self.error(
                node.loc,
                _("posts must be a list (each item starting with '- id:'), not {describe}").format(
                    describe=node.describe()
                ),
            )
            return ()
        posts: list[Post] = []
        seen: dict[str, Location] = {}
        for index, item in enumerate(node.items, 1):
            post = self.post(item, index)
            if post is None:
                continue
            if post.id in seen:
                self.error(
                    post.loc,
                    _(
                        "post id '{id}' is used twice (first at line {line}); ids must be unique "
                        "and stable"
                    ).format(id=post.id, line=seen[post.id].line),
                )
                continue
            seen[post.id] = post.loc
            posts.append(post)
        return tuple(posts)

    def post(self, node: YNode, index: int) -> Post | None:
        post_id = self.post_id(node, index)
        if post_id is None:
            return None
        what = _("post '{post_id}'").format(post_id=post_id)
        fields = node.mapping or {}
        self.unknown_keys(node, keys.POST, what)
        return Post(
            id=post_id,
            loc=node.loc,
            schedule=self.when.schedule(what, node) or Schedule(),
            vars=self.variables(fields.get("vars"), f"{what}: vars"),
            category=self.text(fields.get("category"), f"{what}: category"),
            link=self.link(what, fields.get("link")),
            title=self.text(fields.get("title"), f"{what}: title"),
            on_holidays=self.choice(fields.get("on_holidays"), f"{what}: on_holidays", ON_HOLIDAYS)
            or self.defaults.on_holidays,
            **self.content(what, node),
        )

    def post_id(self, node: YNode, index: int) -> str | None:
        fields = self.mapping(node, _("post #{index}").format(index=index))
        if fields is None:
            if node.scalar is not None:  # nothing, or a single value: say what a post needs
                self.error(
                    node.loc,
                    _(
                        "post #{index} must be a mapping with at least id, a time and a template "
                        "or caption"
                    ).format(index=index),
                )
            return None
        post_id = self.text(fields.get("id"), f"post #{index}: id")
        if post_id is None:
            self.error(
                node.loc,
                _(
                    "post #{index} has no id: add 'id: a-short-stable-name' (it identifies the "
                    "post in the history)"
                ).format(index=index),
            )
            return None
        if not NAME.match(post_id):
            self.error(
                fields["id"].loc,
                _(
                    "post id '{post_id}' may use only letters, digits, '.', '_' and '-' (at most "
                    "100 characters)"
                ).format(post_id=post_id),
            )
            return None
        return post_id

    def link(self, what: str, node: YNode | None) -> str | None:
        url = self.text(node, f"{what}: link")
        if url is not None and node is not None and not url.startswith(("https://", "http://")):
            self.error(
                node.loc, _("{what}: link must start with https:// or http://").format(what=what)
            )
            return None
        return url

    def content(self, what: str, node: YNode) -> Content:
        fields = node.mapping or {}
        accounts, accounts_loc = self.publishers(what, node)
        template, caption = self.caption_source(what, node, accounts)
        return Content(
            accounts=accounts,
            accounts_loc=accounts_loc,
            template=template,
            template_loc=loc_of(fields.get("template")),
            caption=caption,
            caption_loc=loc_of(fields.get("caption")),
            media=self.media(what, fields.get("media")),
            kind=self.choice(fields.get("kind"), f"{what}: kind", KINDS) or "feed",
            status=self.choice(fields.get("status"), f"{what}: status", STATUSES) or "approved",
        )

    def publishers(self, what: str, node: YNode) -> tuple[tuple[str, ...], Location]:
        """The accounts that publish (its own or the defaults), each one defined."""
        fields = node.mapping or {}
        if "accounts" in fields:
            named = self.texts(fields["accounts"], f"{what}: accounts")
            if not named:
                self.error(fields["accounts"].loc, _("{what}: accounts is empty").format(what=what))
            where = fields["accounts"].loc
        else:
            if not self.defaults.accounts:
                self.error(
                    node.loc,
                    _(
                        "{what} has no accounts: add 'accounts: [name]' or set defaults.accounts"
                    ).format(what=what),
                )
            where = self.defaults.loc or node.loc
            named = [(name, where) for name in self.defaults.accounts]
        self.check_account_refs(what, named)
        return tuple(name for name, _ in named), where

    def check_account_refs(self, what: str, names: list[tuple[str, Location]]) -> None:
        for name, where in names:
            if name not in self.accounts and self.accounts:
                known = ", ".join(sorted(self.accounts))
                self.error(
                    where,
                    _(
                        "{what}: account '{name}' is not defined under accounts (defined: {known})"
                    ).format(what=what, name=name, known=known),
                )

    def caption_source(
        self, what: str, node: YNode, accounts: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        fields = node.mapping or {}
        template = self.text(fields.get("template"), f"{what}: template")
        caption = self.text(fields.get("caption"), f"{what}: caption")
        if template is not None and caption is not None:
            self.error(
                fields["caption"].loc,
                _("{what} has both template and caption; keep one").format(what=what),
            )
        elif template is None and caption is None:
            self.error(
                node.loc,
                _(
                    "{what} has no text: add 'template: NAME' (a file in templates/) or 'caption: "
                    "...'"
                ).format(what=what),
            )
        if template is not None:
            self.check_template(what, template, fields["template"].loc, accounts)
        return template, caption

    def check_template(
        self, what: str, name: str, where: Location, accounts: tuple[str, ...]
    ) -> None:
        wrong = check_template_name(name)
        if wrong:
            self.error(where, f"{what}: {wrong}")
            return
        platforms = {self.accounts[a].platform for a in accounts if a in self.accounts}
        for platform in sorted(platforms) or ["facebook"]:
            if self.looks.template(name, platform) is None:
                stem = name.removesuffix(".j2")
                self.error(
                    where,
                    _(
                        "{what}: template '{name}' not found: create templates/{stem}.j2 (or "
                        "templates/{stem}.{platform}.j2)"
                    ).format(what=what, name=name, stem=stem, platform=platform),
                )
                return

    def media(self, what: str, node: YNode | None) -> tuple[MediaRef, ...]:
        refs: list[MediaRef] = []
        for relative, where in self.texts(node, f"{what}: media"):
            target, found = self.looks.media(relative)
            if target is None:
                self.error(
                    where,
                    _(
                        "{what}: media '{relative}' must be a path inside the calendar's folder, "
                        "e.g. media/poster.jpg"
                    ).format(what=what, relative=relative),
                )
            elif not found:
                self.error(where, f"{what}: {self.media_missing(relative)}")
            else:
                refs.append(MediaRef(relative, where))
        return tuple(refs)

    def media_missing(self, relative: str) -> str:
        said = _(
            "media file '{relative}' not found (paths are relative to the calendar's folder)"
        ).format(relative=relative)
        meant = self.looks.similar(relative)
        if meant is None:
            return said
        return _(
            "{said}; did you mean '{meant}'? Letter case counts and folders are separated by '/'"
        ).format(said=said, meant=meant)
