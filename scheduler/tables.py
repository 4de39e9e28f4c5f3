"""Readable tables for the terminal (rich); JSON output never goes through here."""

from __future__ import annotations

from datetime import date

from scheduler.preview import PreviewItem


def preview_table(items: list[PreviewItem], first_day: date, last_day: date) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"jadwal preview {first_day} → {last_day}: {len(items)} post(s)",
        show_lines=True,
        title_justify="left",
    )
    table.add_column("when", no_wrap=True)
    table.add_column("post / account", overflow="fold")
    table.add_column("caption", overflow="fold", ratio=1)
    for item in items:
        o = item.occurrence
        label = f"{o.post.id}\n{o.account.name} ({o.platform}, {o.post.kind})"
        if o.post.status != "approved":
            label += f"\n[yellow]{o.post.status}[/yellow]"
        if o.holiday:
            label += f"\n{o.holiday}"
        caption = item.caption if item.caption is not None else "[red]cannot render[/red]"
        media = "\n".join(f"🖼 {m.path}" for m in o.post.media)
        table.add_row(
            o.at.strftime("%Y-%m-%d %H:%M %Z"),
            label,
            _escape(caption) + (f"\n{media}" if media else ""),
        )
    Console().print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
