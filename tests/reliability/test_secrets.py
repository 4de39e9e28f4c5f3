"""Secrets hygiene: canary tokens go through every command, and come out nowhere.

Two canary tokens (one in the environment, one only in ``.env``) are used by ``check``,
``preview``, ``tick`` against the fake Graph API (a success, an error 190 that echoes the token,
an HTML 502), ``history``, ``accounts check``, a live daemon and a forced crash. Then every
stdout and stderr, every file under the calendar folder (``.jadwal/`` and its databases read as
bytes; ``.env`` itself excepted), the crash log and the fake's record of requests are searched
for any 20-character piece of either token, also with whitespace and table borders removed (a
folded table cell must not hide one).
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from scheduler.adapters.instagrapi.session import save_session
from scheduler.check import check_calendar
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph

FB_CANARY = "EAAGcanaryFB0123456789abcdefghijklmnop"
IG_CANARY = "EAAGcanaryIG9876543210zyxwvutsrqponmlk"
CANARIES = (FB_CANARY, IG_CANARY)
PIECE = 20  # any run of this many characters of a canary counts as a leak
PAGE, IG_USER = "1001", "17841"
PLATFORMS = ("fb", "ig")
JAKARTA = ZoneInfo("Asia/Jakarta")
BORDERS = re.compile(r"[\s│┃║|]+")


def leaked(text: str) -> list[str]:
    """The canary pieces found in ``text`` (as it is, and with whitespace and borders gone)."""
    flat = BORDERS.sub("", text)
    found = []
    for canary in CANARIES:
        pieces = (canary[i : i + PIECE] for i in range(len(canary) - PIECE + 1))
        hit = next((p for p in pieces if p in text or p in flat), None)
        if hit is not None:
            found.append(hit)
    return found


class Evidence:
    """Everything jadwal wrote, by where it came from."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def add(self, name: str, text: str) -> None:
        self.texts[f"{name} #{len(self.texts)}"] = text

    def add_files(self, folder: Path, *skip: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path not in skip:
                self.add(str(path.relative_to(folder)), path.read_bytes().decode("latin-1"))

    def leaks(self) -> dict[str, list[str]]:
        return {name: found for name, text in self.texts.items() if (found := leaked(text))}


# -- the calendar and the fake platform --------------------------------------------------------


def calendar_text(rounds: dict[str, datetime]) -> str:
    """Per round, a Facebook text post and an Instagram image post (staged on the Page)."""
    posts = ""
    for name, at in rounds.items():
        moment = at.astimezone(JAKARTA).replace(microsecond=0).isoformat()
        posts += (
            f"  - id: {name}-fb\n    accounts: [fb]\n    at: '{moment}'\n"
            f"    caption: 'Info {name} {{{{ at | tanggal }}}}'\n"
            f"  - id: {name}-ig\n    accounts: [ig]\n    at: '{moment}'\n"
            f"    caption: 'Foto {name}'\n    media: [media/posyandu.jpg]\n"
        )
    return (
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        f"  fb: {{platform: facebook, page_id: '{PAGE}', token: '${{FB_TOKEN}}'}}\n"
        f"  ig: {{platform: instagram, ig_user_id: '{IG_USER}', page_id: '{PAGE}', "
        "token: '${IG_TOKEN}'}\n"
        "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\n"
        f"posts:\n{posts}"
    )


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.05).start()
    fake.add_token(FB_CANARY, pages=[PAGE])
    fake.add_token(IG_CANARY, pages=[PAGE], ig_users=[IG_USER])
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors


class World:
    """A calendar folder whose secrets are canaries, and a way to run jadwal in it."""

    def __init__(self, folder: Path, graph: FakeGraph) -> None:
        self.folder = folder
        self.calendar = folder / "calendar.yaml"
        self.graph = graph
        self.state = folder.parent / "state"  # XDG_STATE_HOME: where crash.log goes
        self.dotenv = folder / ".env"
        # FB_TOKEN is in the environment and in .env (the environment wins); IG_TOKEN only here.
        self.dotenv.write_text(f"FB_TOKEN={FB_CANARY}\nIG_TOKEN='{IG_CANARY}'\n")
        self.env = {
            **os.environ,
            "FB_TOKEN": FB_CANARY,
            "JADWAL_GRAPH_URL": graph.url,
            "XDG_STATE_HOME": str(self.state),
            "COLUMNS": "80",  # narrow tables fold long cells: a folded token must still be found
            "PYTHONUNBUFFERED": "1",
        }
        self.evidence = Evidence()
        self.rounds: dict[str, datetime] = {}

    def add_round(self, name: str, at: datetime) -> None:
        self.rounds[name] = at
        self.calendar.write_text(calendar_text(self.rounds), encoding="utf-8")

    def jadwal(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*JADWAL, *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        self.evidence.add(f"jadwal {' '.join(args)} stdout", done.stdout)
        self.evidence.add(f"jadwal {' '.join(args)} stderr", done.stderr)
        return done

    def published(self, text: str) -> int:
        return sum(text in json.dumps(post, default=str) for post in list(self.graph.posts))

    def daemon(self, round_name: str, until: float) -> str:
        process = subprocess.Popen(
            [*JADWAL, "daemon", str(self.calendar)],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + until
            while time.monotonic() < deadline and self.published(f" {round_name}") < 2:
                time.sleep(0.2)
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        self.evidence.add("jadwal daemon (log)", output)
        return output


@pytest.fixture
def world(write_calendar: WriteCalendar, graph: FakeGraph) -> World:
    folder = write_calendar("version: 1\n").parent
    return World(folder, graph)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def history(world: World) -> list[dict[str, Any]]:
    done = world.jadwal("history", str(world.calendar), "--format", "json")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout)["publications"])


def run_everything(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    graph, calendar = world.graph, str(world.calendar)
    world.add_round("satu", now() - timedelta(minutes=5))
    assert world.jadwal("check", calendar).returncode == 0
    world.jadwal("check", calendar, "--format", "json")
    for output in ("json", "table"):
        assert world.jadwal("preview", calendar, "--format", output).returncode == 0

    assert world.jadwal("tick", calendar).stdout == "jadwal tick: 2 published\n"

    world.add_round("dua", now() - timedelta(minutes=4))
    echo = "Error validating access token: Session has expired. Token: {}"
    graph.fail_next(code=190, message=echo.format(FB_CANARY), path_contains=f"{PAGE}/feed")
    graph.fail_next(
        code=190, message=echo.format(IG_CANARY), path_contains="content_publishing_limit"
    )
    paused = world.jadwal("tick", calendar)
    assert paused.stderr.count("ACCOUNT PAUSED") == 2, paused.stderr

    checked = world.jadwal("accounts", "check", "--calendar", calendar)
    assert checked.returncode == 0 and checked.stdout.count("resumed") == 2, checked.stdout

    world.add_round("tiga", now() - timedelta(minutes=3))
    graph.html_error_next(status=502, path_contains=f"{PAGE}/feed")
    graph.html_error_next(status=502, path_contains="media_publish")
    world.jadwal("tick", calendar)

    world.jadwal("history", calendar)
    states = {row["post_id"]: row["state"] for row in history(world)}
    # The paused 'dua' posts go out first once resumed: they meet the 502s and become unknown.
    assert states == {
        **{f"{name}-{account}": "published" for name in ("satu", "tiga") for account in PLATFORMS},
        **{f"dua-{account}": "unknown" for account in PLATFORMS},
    }, states

    world.add_round("empat", now() + timedelta(seconds=3))
    log = world.daemon("empat", until=20)
    assert "INFO published empat-fb/fb/" in log and "INFO published empat-ig/ig/" in log, log

    force_a_crash(world, monkeypatch)


def force_a_crash(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug after the tokens were used: 'accounts check' dies printing its table."""

    def bug(*_args: object) -> None:
        raise RuntimeError("forced bug for the secrets test")

    monkeypatch.setattr("scheduler.tables.accounts_table", bug)
    for name, value in world.env.items():
        monkeypatch.setenv(name, value)
    assert cli.run(["accounts", "check", "--calendar", str(world.calendar)]) == 3
    crash = world.state / "jadwal" / "crash.log"
    assert "RuntimeError: forced bug for the secrets test" in crash.read_text()


@pytest.mark.slow
def test_no_canary_reaches_any_output_file_database_or_request(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_everything(world, monkeypatch)
    out, err = capsys.readouterr()
    world.evidence.add("in-process stdout", out)
    world.evidence.add("in-process stderr", err)
    world.evidence.add_files(world.folder, world.dotenv)
    world.evidence.add_files(world.state)
    world.evidence.add("fake graph requests", json.dumps(world.graph.requests))
    world.evidence.add("fake graph posts", json.dumps(world.graph.posts, default=str))

    # The canaries really were used, and the search really looks at the databases.
    auth = {request["auth"] for request in world.graph.requests}
    assert auth == {"header"}, auth
    names = set(world.evidence.texts)
    assert any(name.startswith(".jadwal/jadwal.db") for name in names), names
    assert any(name.startswith("jadwal/crash.log") for name in names), names
    assert len(leaked(world.dotenv.read_text())) == 2  # .env, skipped above, has both
    assert leaked(f"xx{IG_CANARY[5:30]}yy") and leaked(FB_CANARY[:10] + "\n│ " + FB_CANARY[10:])

    assert world.evidence.leaks() == {}


# -- a crash while Meta's error echoes the token -----------------------------------------------


def test_a_crash_while_handling_an_echoed_token_keeps_it_out_of_the_crash_log(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world.add_round("satu", now() - timedelta(minutes=5))
    message = f"Error validating access token: Session has expired. Token: {FB_CANARY}"
    world.graph.fail_next(code=190, message=message, path_contains=f"{PAGE}/feed")

    def bug(*_args: object) -> str:
        raise RuntimeError("forced bug in the engine's error handling")

    monkeypatch.setattr("scheduler.engine.attempt.settle_error", bug)
    for name, value in world.env.items():
        monkeypatch.setenv(name, value)
    assert cli.run(["tick", str(world.calendar), "--db", f"sqlite:///{world.folder / 'x.db'}"]) == 3
    out, err = capsys.readouterr()
    crash = (world.state / "jadwal" / "crash.log").read_text()
    assert "RuntimeError: forced bug in the engine's error handling" in crash
    assert leaked(out + err) == []
    assert leaked(crash) == []


# -- inline secrets --------------------------------------------------------------------------

INLINE = {
    "plain": f"token: {FB_CANARY}",
    "quoted": f"token: '{FB_CANARY}'",
    "bearer": f"token: 'Bearer {FB_CANARY}'",
    "under another key": f"token: '${{FB_TOKEN}}', catatan: {FB_CANARY}",
    "as the page id": f"page_id: {FB_CANARY}, token: '${{FB_TOKEN}}'",
}


@pytest.mark.parametrize("account", INLINE.values(), ids=INLINE.keys())
def test_an_inline_token_is_an_error_that_does_not_repeat_it(
    write_calendar: WriteCalendar, account: str
) -> None:
    if "page_id" not in account:
        account = f"page_id: '{PAGE}', {account}"
    path = write_calendar(
        "version: 1\naccounts:\n"
        f"  fb: {{platform: facebook, {account}}}\n"
        "rules: {min_posts_per_week: 0}\nposts: []\n"
    )
    problems = check_calendar(path)
    secret_errors = [p for p in problems if p.is_error and "secret written inline" in p.message]
    assert len(secret_errors) == 1, problems
    assert secret_errors[0].line == 3
    assert all(leaked(str(p)) == [] for p in problems), problems


def test_a_token_pasted_inside_a_reference_is_an_error_that_does_not_repeat_it(
    write_calendar: WriteCalendar,
) -> None:
    path = write_calendar(
        "version: 1\naccounts:\n"
        f"  fb: {{platform: facebook, page_id: '{PAGE}', token: '${{{FB_CANARY}}}'}}\n"
        "rules: {min_posts_per_week: 0}\nposts: []\n"
    )
    problems = check_calendar(path)
    assert all(leaked(str(p)) == [] for p in problems), problems
    assert any(p.is_error for p in problems), problems


# -- instagrapi session files ----------------------------------------------------------------


class SessionClient:
    """What ``save_session`` needs of an instagrapi ``Client``."""

    def get_settings(self) -> dict[str, Any]:
        return {"authorization_data": {"ds_user_id": "4242", "sessionid": "4242%3Asecret"}}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_session_files_are_created_private_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "sessions"
    path = folder / "desa-ig.json"
    previous = os.umask(0)  # the most permissive umask: nothing may come from it
    try:
        save_session(SessionClient(), path)
        assert (mode(path), mode(folder)) == (0o600, 0o700)
        path.chmod(0o644)  # an old, world-readable session file is replaced by a private one
        save_session(SessionClient(), path)
        assert mode(path) == 0o600
    finally:
        os.umask(previous)
    assert sorted(p.name for p in folder.iterdir()) == ["desa-ig.json"]  # no temporary left
    assert json.loads(path.read_text())["authorization_data"]["ds_user_id"] == "4242"
