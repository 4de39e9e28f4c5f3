"""The Indonesian date filters templates use: ``tanggal``, ``tanggal_pendek``, ``hari``, ``jam``.

Each takes ``at`` (or another date or date-time, or a date written as text in ``vars``, such
as ``2026-12-13``) and writes it as an Indonesian announcement does.
"""

from __future__ import annotations

from datetime import date, datetime

from scheduler.i18n import _

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def _as_date(value: object, name: str) -> date:
    """Dates from vars arrive as text (``2026-12-13``); accept them as well as real dates."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(
        _("the {name} filter needs a date such as 2026-12-13, not {value!r}").format(
            name=name, value=value
        )
    )


def tanggal_pendek(value: object) -> str:
    day = _as_date(value, "tanggal_pendek")
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def hari(value: object) -> str:
    return HARI[_as_date(value, "hari").weekday()]


def tanggal(value: object) -> str:
    """``Selasa, 1 Desember 2026``: the date as an Indonesian announcement writes it."""
    day = _as_date(value, "tanggal")
    return f"{hari(day)}, {tanggal_pendek(day)}"


def zone_name(value: datetime) -> str:
    key = getattr(value.tzinfo, "key", None)
    if key in ZONE_NAMES:
        return ZONE_NAMES[key]
    offset = value.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else ""


def jam(value: object) -> str:
    """``09.00 WIB``: Indonesian style uses a dot and names the zone (WIB, WITA, WIT)."""
    moment = _as_date(value, "jam")
    if not isinstance(moment, datetime):
        raise ValueError(
            _("the jam filter needs a date-time such as at, not {value!r}").format(value=value)
        )
    return f"{moment:%H.%M} {zone_name(moment)}".rstrip()


FILTERS = {"tanggal": tanggal, "tanggal_pendek": tanggal_pendek, "hari": hari, "jam": jam}
