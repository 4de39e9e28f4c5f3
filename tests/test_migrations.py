"""Upgrading the schema is all or nothing: a start cut short in the middle of an upgrade (a
power cut during the first start, a daemon killed while it migrates) leaves the database as
it was, and the next start upgrades it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import alembic.op
import pytest

from scheduler.database import HEAD, open_store


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_an_upgrade_cut_short_leaves_no_half_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "jadwal.db"

    def cut(*_: object, **__: object) -> None:
        raise RuntimeError("the power went out")

    monkeypatch.setattr(alembic.op, "batch_alter_table", cut)  # the third migration's step
    with pytest.raises(RuntimeError, match="the power went out"):
        open_store(f"sqlite:///{path}")
    assert tables(path) == set()  # not the first two migrations' tables without the third
    monkeypatch.undo()
    store = open_store(f"sqlite:///{path}")
    store.close()
    assert {"publications", "stops", "connections", "meta"} <= tables(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
