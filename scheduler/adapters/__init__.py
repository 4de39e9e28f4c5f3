"""Platform adapters and their registry.

The registry maps each route of the calendar model (``ROUTES``: ``facebook``,
``instagram:graph``, ``instagram:login``, ``instagram:instagrapi``, ``whatsapp``) to a
factory, and a test keeps the two equal, so every account a valid calendar names has an
adapter. ``--dry-run`` replaces every route with the dry-run adapter.

- ``base``: the contract every adapter implements; ``credentials``: an account's secrets;
- ``lookup``: the newest-first scan that settles an unknown outcome, on every platform;
- ``graph``: the Facebook Page and Instagram Graph API adapters over one client;
- ``instagrapi``: Instagram through instagrapi's private API, and ``jadwal login``;
- ``byhand``: the channels a person posts to (WhatsApp): prepared, never sent;
- ``dryrun``: writes what would have gone out to a folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.adapters.base import Adapter, AdapterFactory

if TYPE_CHECKING:
    from scheduler.calendar.model import Account, Calendar, Route


def _facebook(calendar: Calendar, account: Account) -> Adapter:
    from scheduler.adapters.graph.facebook import FacebookPageAdapter

    return FacebookPageAdapter(calendar, account)


def _instagram_graph(calendar: Calendar, account: Account) -> Adapter:
    from scheduler.adapters.graph.instagram import InstagramGraphAdapter

    return InstagramGraphAdapter(calendar, account)


def _instagram_login(calendar: Calendar, account: Account) -> Adapter:
    from scheduler.adapters.graph.iglogin import InstagramLoginAdapter

    return InstagramLoginAdapter(calendar, account)


def _instagrapi(calendar: Calendar, account: Account) -> Adapter:
    from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter

    return InstagrapiAdapter(calendar, account)


def _by_hand(calendar: Calendar, account: Account) -> Adapter:
    from scheduler.adapters.byhand import ByHandAdapter

    return ByHandAdapter(calendar, account)


# Each factory imports its library only when an account of that kind publishes.
REGISTRY: dict[Route, AdapterFactory] = {
    "facebook": _facebook,
    "instagram:graph": _instagram_graph,
    "instagram:login": _instagram_login,
    "instagram:instagrapi": _instagrapi,
    "whatsapp": _by_hand,
}


def adapter_factory(
    calendar: Calendar, dry_run_folder: Path | None
) -> Callable[[Account], Adapter]:
    """One adapter per account, made on first use and reused."""
    cache: dict[str, Adapter] = {}

    def make(account: Account) -> Adapter:
        adapter = cache.get(account.name)
        if adapter is None:
            if dry_run_folder is not None:
                from scheduler.adapters.dryrun import DryRunAdapter

                adapter = DryRunAdapter(dry_run_folder, calendar, account)
            else:
                adapter = REGISTRY[account.route](calendar, account)
            cache[account.name] = adapter
        return adapter

    return make
