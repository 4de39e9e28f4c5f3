"""Whether a Graph API token can publish: valid, and carrying the permissions an adapter
needs (one line each of ``jadwal accounts check``)."""

from __future__ import annotations

from scheduler.adapters.base import CheckResult
from scheduler.adapters.graph.client import Graph
from scheduler.errors import PublishError


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
