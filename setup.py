"""The build step pyproject.toml cannot declare: the message catalogs are compiled.

``scheduler/locale/*/LC_MESSAGES/jadwal.po`` (kept in the repository) becomes the ``.mo`` that
``gettext`` reads, next to it in the package, before the package's files are copied: so a
wheel (``pip install .``) carries it, and an editable install (``pip install -e .``), which
reads the package from the checkout, finds it there. Babel is a build requirement.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path(__file__).resolve().parent / "scheduler" / "locale"


def compile_catalogs(locales: Path) -> list[Path]:
    """Compile every ``.po`` under ``locales``; fuzzy entries stay out, as gettext's do."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalog = read_po(source)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs(LOCALES)
        super().run()


if __name__ == "__main__":  # as setuptools runs it; tests import compile_catalogs alone
    setup(cmdclass={"build_py": BuildWithCatalogs})
