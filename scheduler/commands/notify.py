"""``jadwal notify`` (what is queued and what failed to send) and ``jadwal notify test``
(a test message to every configured URL, with what each answered)."""

from __future__ import annotations

from scheduler.calendar.load import load_calendar
from scheduler.calendar.secrets import secrets_of
from scheduler.commands import EXIT_OK, EXIT_USER, plural
from scheduler.notify import TIMEOUT, deliver, outbox_of
from scheduler.notify import messages as m
from scheduler.notify.compose import office, title
from scheduler.runtime import Options, existing_options_store
from scheduler.secrets import environment, scrub


def queue(options: Options) -> int:
    store = existing_options_store(options)
    rows = outbox_of(store).unsent() if store is not None else []
    if not rows:
        print("jadwal notify: nothing queued, nothing failed to send")
        return EXIT_OK
    for row in rows:
        answer = f": {row.answer}" if row.answer else ""
        tries = plural(row.tries, "try")
        print(f"{row.state} {row.event} to ${{{row.target}}} ({tries}) {row.title}{answer}")
    return EXIT_OK


def test(options: Options) -> int:
    calendar = load_calendar(options.calendar_path)
    if not calendar.notify:
        print("jadwal notify test: calendar.yaml has no notify entries")
        return EXIT_USER
    env = environment(calendar.folder)
    secrets = secrets_of(calendar)
    failed = 0
    for entry in calendar.notify:
        url = env.get(entry.variable)
        if url is None:
            said, ok = f"${{{entry.variable}}} is not set: add it to .env or the environment", False
        else:
            body = m.TEST_BODY.format(office=office(calendar), target=f"${{{entry.variable}}}")
            answer = deliver(url, title(calendar, "test"), body, (), TIMEOUT)
            said, ok = answer.text, answer.ok
        failed += not ok
        print(f"${{{entry.variable}}}: {scrub(said, secrets)}")
    return EXIT_OK if not failed else EXIT_USER
