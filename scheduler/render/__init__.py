"""Captions from templates: Jinja2, sandboxed, strict, plain text.

A template can use the calendar's ``vars`` (overridden by the post's), ``at`` (the
occurrence's aware date-time), ``account``, ``platform``, ``post_id``, ``kind`` and
``category``; holiday greetings also get ``holiday`` and ``holiday_estimated``. Filters:
``tanggal`` (``Selasa, 1 Desember 2026``), ``tanggal_pendek`` (``1 Desember 2026``),
``jam`` (``09.00 WIB``) and ``hari`` (``Selasa``).

- ``renderer``: ``Renderer`` (occurrence → caption) and ``RenderError`` (a located problem)
- ``dates``: the Indonesian date filters
- ``strict``: Jinja's strict undefined, telling what name was missing and where
- ``suggest``: the closest names to a misspelt one
- ``reads``: which variables a post's templates read (includes and platform variants too)
- ``unused``: ``vars`` keys that no template reads, located at the key
"""

from __future__ import annotations

from scheduler.render.dates import hari, jam, tanggal, tanggal_pendek, zone_name
from scheduler.render.renderer import Renderer, RenderError

__all__ = [
    "RenderError",
    "Renderer",
    "hari",
    "jam",
    "tanggal",
    "tanggal_pendek",
    "zone_name",
]
