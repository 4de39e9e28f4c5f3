"""The wheel as an operator installs it: the ``jadwal`` script works outside the checkout.

The wheel is built from a copy of the sources (a ``build/`` folder left in the checkout could
carry files that no longer exist) and installed without its dependencies into a fresh virtual
environment, which borrows them from this one through a ``.pth`` line: nothing is downloaded
but the build backend, as for ``make``'s own install. That line adds a folder to the path
without running the ``.pth`` files in it, so the editable install of the checkout stays out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "setup.py", "README.md", "scheduler")
IGNORED = ("__pycache__", "*.pyc", "*.mo")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{command}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns(*IGNORED))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)], source)
    [built] = out.glob("jadwal-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(folder)], folder)
    python = str(folder / "bin" / "python")
    pip = [python, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    run([*pip, "install", "--no-deps", "--no-index", str(wheel)], folder)
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], folder)
    Path(purelib.strip(), "jadwal-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return folder


@pytest.fixture
def operator(venv: Path, tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment with the venv's scripts first on PATH, and a calendar folder to run in."""
    folder = tmp_path / "desa"
    folder.mkdir()
    shutil.copy2(ROOT / "calendar.yaml", folder)
    for name in ("templates", "media"):
        shutil.copytree(ROOT / name, folder / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(tmp_path))
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    return env, folder


def test_the_wheel_holds_the_package_the_migrations_and_no_top_level_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names}
    assert tops == {"scheduler", "jadwal-0.1.0.dist-info"}
    shipped = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "scheduler").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped - names == set()
    assert {
        "scheduler/migrations/env.py",
        "scheduler/migrations/script.py.mako",
        "scheduler/migrations/versions/0001_initial.py",
    } <= names
    # Compiled by the build step from the .po alone (the copy has no .mo of the checkout's).
    assert "scheduler/locale/id/LC_MESSAGES/jadwal.mo" in names
    entry_points = zipfile.ZipFile(wheel).read("jadwal-0.1.0.dist-info/entry_points.txt")
    assert "jadwal = scheduler.cli:main" in entry_points.decode()


def test_the_installed_script_checks_and_ticks_outside_the_checkout(
    venv: Path, operator: tuple[dict[str, str], Path]
) -> None:
    env, folder = operator
    jadwal = str(venv / "bin" / "jadwal")
    assert "Usage: jadwal" in run([jadwal, "--help"], folder, env)
    checked = run([jadwal, "check", "--today", "2026-11-23"], folder, env)
    assert checked.splitlines()[-1] == "calendar.yaml: ok (0 errors, 4 warnings)"
    ticked = run([jadwal, "tick", "--dry-run", "--now", "2026-12-05 08:00"], folder, env)
    assert ticked == "jadwal tick: 2 published\n"
    assert (folder / ".jadwal" / "dryrun.db").is_file()  # the migrations ran from the wheel
    site = ["site", "situs", "--from", "2026-12-01", "--to", "2026-12-31"]
    assert run([jadwal, *site], folder, env).startswith("jadwal site: wrote 1 month, ")
    # The templates and the stylesheet came from the wheel.
    assert "December 2026" in (folder / "situs" / "2026-12.html").read_text(encoding="utf-8")
    assert (folder / "situs" / "site.css").stat().st_size > 1000


def test_the_installed_script_speaks_the_calendars_indonesian(
    venv: Path, operator: tuple[dict[str, str], Path]
) -> None:
    env, folder = operator
    env = {k: v for k, v in env.items() if k not in ("JADWAL_LANG", "LC_ALL", "LC_MESSAGES")}
    checked = run([str(venv / "bin" / "jadwal"), "check", "--today", "2026-11-23"], folder, env)
    assert checked.splitlines()[-1] == "calendar.yaml: siap (0 kesalahan, 4 peringatan)"
    # The site's words come from the wheel's compiled catalog too.
    site = ["site", "situs", "--from", "2026-12-01", "--to", "2026-12-31"]
    assert run([str(venv / "bin" / "jadwal"), *site], folder, env).startswith("jadwal site: ")
    page = (folder / "situs" / "2026-12.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in page
    assert "Kalender publikasi" in page and "Desember 2026" in page


def test_python_m_scheduler_runs_the_installed_package(
    venv: Path, operator: tuple[dict[str, str], Path]
) -> None:
    env, folder = operator
    python = str(venv / "bin" / "python")
    where = run([python, "-c", "import scheduler; print(scheduler.__file__)"], folder, env)
    assert Path(where.strip()).is_relative_to(venv)
    assert run([python, "-m", "scheduler", "version"], folder, env) == "jadwal 0.1.0\n"
    no_cli = "import importlib.util as u; print(u.find_spec('cli'))"
    assert run([python, "-c", no_cli], folder, env) == "None\n"
