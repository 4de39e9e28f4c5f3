"""``jadwal notify`` (what is queued and what failed to send) and ``jadwal notify test``
(a test message to every configured URL, with what each answered)."""

from __future__ import annotations

from scheduler.calendar.load import load_calendar, speak_its_language
from scheduler.calendar.secrets import secrets_of
from scheduler.commands import EXIT_OK, EXIT_USER
from scheduler.i18n import _, ngettext
from scheduler.notify import TIMEOUT, deliver, outbox_of
from scheduler.notify import messages as m
from scheduler.notify.compose import office, title
from scheduler.runtime import Options, existing_options_store
from scheduler.secrets import environment, scrub


def queue(options: Options) -> int:
    _speak_the_calendars_language(options)
    store = existing_options_store(options)
    rows = outbox_of(store).unsent() if store is not None else []
    if not rows:
        print(_("jadwal notify: nothing queued, nothing failed to send"))
        return EXIT_OK
    for row in rows:
        answer = f": {row.answer}" if row.answer else ""
        tries = ngettext("{count} try", "{count} tries", row.tries).format(count=row.tries)
        line = _("{state} {event} to {target} ({tries}) {title}{answer}")
        target = f"${{{row.target}}}"
        print(line.format(state=row.state, event=row.event, target=target, tries=tries,
                          title=row.title, answer=answer))  # fmt: skip
    return EXIT_OK


def _speak_the_calendars_language(options: Options) -> None:
    """Speak the calendar's ``language``, as the commands that load it do; the queue itself
    needs only the store, so the calendar is not read further (nor required)."""
    try:
        text = options.calendar_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    speak_its_language(text)


def test(options: Options) -> int:
    calendar = load_calendar(options.calendar_path)
    if not calendar.notify:
        print(_("jadwal notify test: calendar.yaml has no notify entries"))
        return EXIT_USER
    env = environment(calendar.folder)
    secrets = secrets_of(calendar)
    failed = 0
    for entry in calendar.notify:
        url = env.get(entry.variable)
        if url is None:
            said, ok = _(m.NOT_SET).format(target=f"${{{entry.variable}}}"), False
        else:
            body = _(m.TEST_BODY).format(office=office(calendar), target=f"${{{entry.variable}}}")
            answer = deliver(url, title(calendar, "test"), body, (), TIMEOUT)
            said, ok = answer.text, answer.ok
        failed += not ok
        print(f"${{{entry.variable}}}: {scrub(said, secrets)}")
    return EXIT_OK if not failed else EXIT_USER
