"""``jadwal schema``: the JSON Schema of ``calendar.yaml``, for completion and errors in editors."""

from __future__ import annotations

from pathlib import Path

from scheduler.calendar.json_schema import schema_text
from scheduler.commands import EXIT_OK
from scheduler.errors import JadwalError
from scheduler.files import display_path, write_atomic


def schema(out: Path | None) -> int:
    """Print the schema, or write it to ``out`` in one step and say where."""
    text = schema_text()
    if out is None:
        print(text, end="")
        return EXIT_OK
    shown = display_path(out)
    # write_atomic would create missing folders: a mistyped path should not grow new ones.
    if not out.parent.is_dir():
        raise JadwalError(f"cannot write {shown}: there is no folder {display_path(out.parent)}")
    try:
        write_atomic(out, text.encode("utf-8"))
    except OSError as exc:
        raise JadwalError(f"cannot write {shown}: {exc.strerror or exc}") from None
    print(f"wrote the JSON Schema of calendar.yaml to {shown}")
    return EXIT_OK
