"""``jadwal schema``: the JSON Schema of ``calendar.yaml``, for completion and errors in editors."""

from __future__ import annotations

from pathlib import Path

from scheduler.calendar.json_schema import schema_text
from scheduler.commands import EXIT_OK, write_out
from scheduler.i18n import _


def schema(out: Path | None) -> int:
    """Print the schema, or write it to ``out`` in one step and say where."""
    text = schema_text()
    if out is None:
        print(text, end="")
        return EXIT_OK
    shown = write_out(out, text.encode("utf-8"))
    print(_("wrote the JSON Schema of calendar.yaml to {shown}").format(shown=shown))
    return EXIT_OK
