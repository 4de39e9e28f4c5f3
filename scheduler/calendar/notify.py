"""Reading ``notify``: a list of Apprise URLs, each by ``${VARIABLE}`` reference (an Apprise
URL carries the service's password or token), the events it is told, and its digest's time.
A URL written inline is refused without being echoed, like an account's token."""

from __future__ import annotations

import re
from datetime import time

from scheduler.calendar import keys, values
from scheduler.calendar.fields import Fields
from scheduler.calendar.model import DEFAULT_EVENTS, NOTIFY_EVENTS, Notify
from scheduler.calendar.yamltree import YNode
from scheduler.i18n import _

_REFERENCE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")


class NotifyReader(Fields):
    def entries(self, node: YNode | None) -> tuple[Notify, ...]:
        if node is None or node.is_null:
            return ()
        if node.items is None:
            self.error(
                node.loc,
                _(
                    "notify must be a list (each item starting with '- url:'), not {describe}"
                ).format(describe=node.describe()),
            )
            return ()
        found = (self.entry(item, index) for index, item in enumerate(node.items, 1))
        return tuple(entry for entry in found if entry is not None)

    def entry(self, node: YNode, index: int) -> Notify | None:
        what = _("notify entry {index}").format(index=index)
        fields = self.mapping(node, what)
        if fields is None:
            return None
        self.unknown_keys(node, keys.NOTIFY, what)
        variable = self.url(fields.get("url"), what, node, index)
        events = self.events(fields.get("on"), what)
        at = self.parsed(fields.get("digest_at"), f"{what}: digest_at", values.parse_time)
        if variable is None or events is None:
            return None
        return Notify(variable, events, node.loc, at or time(7, 0))

    def url(self, node: YNode | None, what: str, entry: YNode, index: int) -> str | None:
        text = self.text(node, f"{what}: url")
        if text is None or node is None:
            self.error(
                entry.loc,
                _("{what} needs 'url: ${{NOTIFY_URL}}' (an Apprise URL in .env)").format(what=what),
            )
            return None
        match = _REFERENCE.match(text.strip())
        if match is not None:
            return match.group(1)
        # Never echo the value: an Apprise URL holds the service's credentials.
        name = "NOTIFY_URL" if index == 1 else f"NOTIFY_URL_{index}"
        self.error(
            node.loc,
            _(
                "{what}: 'url' holds a secret written inline; write a reference such as url: "
                "${{{name}}} and put the Apprise URL in the environment or in .env beside the "
                "calendar"
            ).format(what=what, name=name),
        )
        return None

    def events(self, node: YNode | None, what: str) -> tuple[str, ...] | None:
        if node is None:
            return DEFAULT_EVENTS
        chosen: list[str] = []
        good = True
        for event, where in self.texts(node, f"{what}: on"):
            if event not in NOTIFY_EVENTS:
                self.error(
                    where,
                    _("{what}: unknown event '{event}'; use {names}").format(
                        what=what, event=event, names=", ".join(NOTIFY_EVENTS)
                    ),
                )
                good = False
            elif event not in chosen:
                chosen.append(event)
        return tuple(chosen) if good else None
