"""What the Facebook Page and Instagram (Graph) adapters share beyond the client itself:
checking a token, finding a post by its caption after an unknown outcome, opening media."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from scheduler.adapters.base import CheckResult, Lookup, Published, caption_hash
from scheduler.adapters.graph import Graph
from scheduler.errors import PublishError, Rejected

# A lookup reads the listing newest first, page by page, until it reaches posts older than the
# draft. 10 pages of 50 is far more than an office posts between a lost answer and the next
# run; past that, the row is left `unknown` for `jadwal resolve` rather than guessed.
LOOKUP_PAGE = 50
LOOKUP_PAGES = 10
# The platform's clock and ours may disagree by a little: a post created up to this long
# before the draft's time still counts as "after it".
CLOCK_SLACK = timedelta(minutes=5)


@contextmanager
def opened(paths: dict[str, Path]) -> Iterator[dict[str, IO[bytes]]]:
    """The media files open for a multipart upload; an unreadable one is ``Rejected``."""
    with ExitStack() as stack:
        try:
            yield {name: stack.enter_context(path.open("rb")) for name, path in paths.items()}
        except OSError as exc:
            raise Rejected(f"cannot read media file {exc.filename}: {exc.strerror}") from exc


def check_token(graph: Graph, needed: tuple[str, ...]) -> list[CheckResult]:
    """The token is valid and carries the permissions publishing needs."""
    try:
        info = graph.token_info()
    except PublishError as exc:
        return [CheckResult("token", False, f"{exc.describe()}: issue a new token")]
    if not info.get("is_valid", False):
        return [
            CheckResult(
                "token",
                False,
                "the token is no longer valid: issue a new one and update the secret",
            )
        ]
    missing = [p for p in needed if p not in (info.get("scopes") or [])]
    return [
        CheckResult("token", True, "valid"),
        CheckResult(
            "permissions",
            not missing,
            "all granted" if not missing else f"missing: {', '.join(missing)}",
        ),
    ]


def find_by_caption(
    graph: Graph,
    edge: str,
    *,
    text: str,
    created: str,
    link: str,
    captions: set[str],
    since: datetime,
) -> Lookup:
    """Look for a post whose ``text`` field is one of ``captions`` on ``edge`` (newest first).

    ``published`` when one is there; ``not_published`` only once the listing has been read
    back to before ``since`` (or to its end: no ``paging.next``, as Meta documents, rather than
    a short page, which privacy filtering can cause); otherwise ``unknown``.
    """
    wanted = {caption_hash(c) for c in captions}
    fields = f"id,{text},{created},{link}"
    earliest = since - CLOCK_SLACK
    after: str | None = None
    read = 0
    for _ in range(LOOKUP_PAGES):
        params: dict[str, Any] = {"fields": fields, "limit": LOOKUP_PAGE}
        if after:
            params["after"] = after
        answer = graph.get(edge, **params)
        items = answer.get("data") or []
        read += len(items)
        for item in items:
            when = _parse_time(item.get(created))
            # The same text posted before this occurrence (last week's greeting) is not it.
            if (when is None or when >= earliest) and caption_hash(
                str(item.get(text) or "")
            ) in wanted:
                found = item.get(link)
                return Lookup("published", Published(str(item["id"]), found and str(found)))
        paging = answer.get("paging") or {}
        # The page's last item, not its oldest: a pinned post can come first whatever its age.
        last = _parse_time(items[-1].get(created)) if items else None
        if not paging.get("next") or (last is not None and last < earliest):
            return Lookup("not_published")
        after = (paging.get("cursors") or {}).get("after")
        if not after:
            break
    return Lookup("unknown", detail=f"not among the {read} most recent posts; older ones not read")


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return None
