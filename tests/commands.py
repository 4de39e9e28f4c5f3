"""How tests start jadwal in a process of its own: ``python -m scheduler``, which runs the same
from a checkout and from an installed wheel."""

from __future__ import annotations

import sys

JADWAL = [sys.executable, "-m", "scheduler"]
