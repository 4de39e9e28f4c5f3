"""The code's shape: every route of the calendar model has an adapter."""

from __future__ import annotations

from scheduler.adapters import REGISTRY
from scheduler.calendar.model import ROUTES


def test_every_route_of_the_calendar_model_has_an_adapter() -> None:
    assert sorted(REGISTRY) == sorted(ROUTES)
