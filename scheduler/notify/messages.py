"""Every text a notification carries, as plain format strings in one place, said in the
language in force when a message is composed (``scheduler.i18n``: the calendar's
``language``, unless ``JADWAL_LANG`` chose one).

The texts are marked with ``N_`` here, when the module is imported, and translated with ``_``
where a message is composed: the daemon reads its calendar again, and its language with it,
long after this module was imported. Counted texts are ``ngettext`` calls, in the functions
below, so that English says "1 post failed" and "3 posts failed" (Indonesian has one form).

A message names the office, the account, each post with its local time, what the platform
said, and the exact next step: the command to type or what to fix. Commands, options and keys
in a message are never translated: they are what the operator types.
"""

from __future__ import annotations

from scheduler.i18n import N_, _, ngettext
from scheduler.words import state_word

# No words to translate: the same in every language.
TITLE = "[jadwal] {office}: {headline}"
HEADER = "{office}: {account} ({platform})"
REMINDER_PART = "({number}/{total})\n{text}"
DIGEST_TOKEN = "- {account}: {text}"

POST_LINE = N_("- {post} at {time}: {detail}")
KEY_LINE = N_("  key {key}")
NEXT = N_("Next step: {step}")

HEADLINES = {
    "paused": N_("account {account} paused"),
    "quota": N_("{account}: publishing quota used up"),
    "reminder": N_("post by hand on {account}: {post} at {time}"),
    "token_expiring": N_("{account}: the Instagram token {when}"),
    "digest": N_("daily digest for {day}"),
    "test": N_("test message"),
}
COUNTED = ("failed", "unknown", "missed", "published")  # headlines that count posts


def headline(event: str, **values: object) -> str:
    """The headline of ``event``'s title, translated, then formatted with ``values``."""
    if event in COUNTED:
        return _counted(event, int(str(values["count"]))).format(**values)
    return _(HEADLINES[event]).format(**values)


def _counted(event: str, count: int) -> str:
    if event == "failed":
        return ngettext("{account}: {count} post failed", "{account}: {count} posts failed", count)
    if event == "unknown":
        return ngettext(
            "{account}: {count} post may or may not have gone out",
            "{account}: {count} posts may or may not have gone out",
            count,
        )
    if event == "missed":
        return ngettext("{account}: {count} post missed", "{account}: {count} posts missed", count)
    return ngettext(
        "{account}: {count} post published", "{account}: {count} posts published", count
    )


INTROS = {
    "failed": N_("These posts failed and will not be tried again:"),
    "unknown": N_(
        "jadwal could not tell whether these posts went out; it will not send them again:"
    ),
    "missed": N_("These posts were not published within the grace period ({grace}):"),
    "published": N_("Published:"),
    "paused": N_("Nothing is published for {account} since {since}: {reason}"),
    "quota": N_("The platform's publishing quota for {account} is used up; these posts wait:"),
}

# What a row says when the platform said nothing: the event, in words.
EVENT_WORDS = {
    "failed": N_("failed"),
    "unknown": N_("unknown"),
    "missed": N_("missed"),
    "published": N_("published"),
}

STEPS = {
    "failed": N_(
        "fix what the error says (the caption, the media or the account), then publish it "
        'again with: jadwal post {post} --account {account} --at "{time_short}" --again'
    ),
    "unknown": N_(
        "look at the account; then jadwal resolve {key} --published URL (it went out) or "
        "jadwal resolve {key} --not-published (it will be sent again)"
    ),
    "missed": N_(
        'to publish it now: jadwal post {post} --account {account} --at "{time_short}" --again'
    ),
    "paused": N_(
        "fix the login or token, run jadwal accounts check {account}, then "
        "jadwal accounts resume {account}"
    ),
    "quota": N_("nothing to do: they go out when the quota's window ends (next try {when})"),
}
SOON = N_("soon")  # the quota's next try, when none is recorded


def waiting(count: int) -> str:
    return ngettext(
        "{count} post waits for it: {posts}", "{count} posts wait for it: {posts}", count
    )


# The grace period, as the calendar's rules give it: 45m, 6h, 1h30m.
MINUTES = N_("{minutes}m")
HOURS = N_("{hours}h")
HOURS_MINUTES = N_("{hours}h{minutes:02d}m")

TOKEN_SOON = N_("expires soon")
TOKEN_EXPIRED = N_("has expired")
TOKEN_STEPS = {
    False: N_(
        "nothing yet: jadwal refreshes the token by itself once a day while it runs; if this "
        "message comes again, issue a new long-lived token (Instagram Login), update the "
        "secret, then run jadwal accounts check {account}"
    ),
    True: N_(
        "issue a new long-lived token (Instagram Login), update the secret, then run "
        "jadwal accounts check {account}; nothing is published to {account} until then"
    ),
}
DIGEST_TOKENS = N_("Tokens to look at:")

# A reminder to post by hand: what to do first, then the caption whole, last, so that a body
# cut into parts cuts the caption only and its first part says what it is.
REMINDER_INTRO = N_("Post this by hand on {where} now ({time}), post {post}:")
REMINDER_ATTACHED = N_("Media: attached ({files})")
REMINDER_PAGE = N_("Media: not attached here; see the post's page, {url} ({files})")
REMINDER_FOLDER = N_(
    "Media: not attached here, and no site.url is set to link the post's page: the media is "
    "in {files} of the calendar folder"
)
NO_MEDIA = N_("Media: none")
REMINDER_LINK = N_("Link: {link}")
REMINDER_DONE = N_("When it is posted: jadwal done {key} --link URL")
REMINDER_NO_CAPTION = N_("(the caption can't be shown: {problem}; see jadwal preview)")
# What a dry run writes beside its post instead of sending the reminder.
REHEARSED_TO = N_("to {target}")
REHEARSED_ATTACHED = N_(", attached: {files}")
NO_TITLE = N_("(no title)")

DIGEST_YESTERDAY = N_("Yesterday ({day}):")
DIGEST_TODAY = N_("Today ({day}):")
DIGEST_WEEK = N_("- {account}: week of {week}, fewer planned")
DIGEST_ROW = N_("- {time} {post} on {account}: {state}{detail}")
DIGEST_NOTHING = N_("- nothing")
DIGEST_PROBLEMS = N_("Problems: {count} (jadwal history --since {day})")


def digest_at_risk(minimum: int) -> str:
    return ngettext(
        "Weeks at risk of fewer than {minimum} post a week:",
        "Weeks at risk of fewer than {minimum} posts a week:",
        minimum,
    )


def state(code: str) -> str:
    """A publication's state as the digest says it: in the words of every view."""
    return state_word(code)


TEST_BODY = N_("Test message from jadwal for {office}: notifications to {target} arrive here.")
NOT_SET = N_("{target} is not set: add it to .env or the environment")
