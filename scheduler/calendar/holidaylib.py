"""The ``holidays`` package, set up so that a country's holidays load that country alone.

``holidays.country_holidays("ID")`` finds Indonesia through the package's registry and
imports ``holidays.countries.indonesia``; Python imports the package ``holidays.countries``
first, and its ``__init__`` imports every country the library knows (about 250 modules:
0.06-0.12 s, paid by every ``check``, ``preview`` and ``tick`` of a calendar with
``holidays``). The registry needs none of that ``__init__``: it loads each country by its
module path (vacanza/holidays#998 made the top of the package lazy in the same way). So
``package`` puts an empty ``holidays.countries`` with the real folder as its path in
``sys.modules`` before anything asks for a country, and each country module is imported from
that folder when it is first used. Nothing in jadwal reads ``holidays.countries`` itself.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any

COUNTRIES = "holidays.countries"


def package() -> Any:
    """``import holidays``, without the import of every country."""
    import holidays

    if COUNTRIES not in sys.modules:
        spec = importlib.util.find_spec(COUNTRIES)  # imports ``holidays``, not the countries
        if spec is not None and spec.submodule_search_locations is not None:
            countries = types.ModuleType(COUNTRIES)
            countries.__path__ = list(spec.submodule_search_locations)
            countries.__spec__ = spec
            sys.modules.setdefault(COUNTRIES, countries)
    return holidays
