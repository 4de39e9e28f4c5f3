"""Every text a notification carries, as plain format strings in one place, so that the
calendar's language can later choose a translated catalogue (gettext) for all of them.

A message names the office, the account, each post with its local time, what the platform
said, and the exact next step: the command to type or what to fix.
"""

from __future__ import annotations

TITLE = "[jadwal] {office}: {headline}"
HEADER = "{office}: {account} ({platform})"
POST_LINE = "- {post} at {time}: {detail}"
KEY_LINE = "  key {key}"
LINK_LINE = "  {link}"
NEXT = "Next step: {step}"

HEADLINES = {
    "failed": "{account}: {count} post(s) failed",
    "unknown": "{account}: {count} post(s) may or may not have gone out",
    "missed": "{account}: {count} post(s) missed",
    "published": "{account}: {count} post(s) published",
    "paused": "account {account} paused",
    "quota": "{account}: publishing quota used up",
    "reminder": "post by hand on {account}: {post} at {time}",
    "token_expiring": "{account}: the Instagram token {when}",
    "digest": "daily digest for {day}",
    "test": "test message",
}

INTROS = {
    "failed": "These posts failed and will not be tried again:",
    "unknown": "jadwal could not tell whether these posts went out; it will not send them again:",
    "missed": "These posts were not published within the grace period ({grace}):",
    "published": "Published:",
    "paused": "Nothing is published for {account} since {since}: {reason}",
    "quota": "The platform's publishing quota for {account} is used up; these posts wait:",
}

STEPS = {
    "failed": (
        "fix what the error says (the caption, the media or the account), then publish it "
        'again with: jadwal post {post} --account {account} --at "{time_short}" --again'
    ),
    "unknown": (
        "look at the account; then jadwal resolve {key} --published URL (it went out) or "
        "jadwal resolve {key} --not-published (it will be sent again)"
    ),
    "missed": (
        'to publish it now: jadwal post {post} --account {account} --at "{time_short}" --again'
    ),
    "paused": (
        "fix the login or token, run jadwal accounts check {account}, then "
        "jadwal accounts resume {account}"
    ),
    "quota": "nothing to do: they go out when the quota's window ends (next try {when})",
}
WAITING = "{count} post(s) wait for it: {posts}"

TOKEN_SOON = "expires soon"
TOKEN_EXPIRED = "has expired"
TOKEN_STEPS = {
    False: (
        "nothing yet: jadwal refreshes the token by itself once a day while it runs; if this "
        "message comes again, issue a new long-lived token (Instagram Login), update the "
        "secret, then run jadwal accounts check {account}"
    ),
    True: (
        "issue a new long-lived token (Instagram Login), update the secret, then run "
        "jadwal accounts check {account}; nothing is published to {account} until then"
    ),
}
DIGEST_TOKENS = "Tokens to look at:"
DIGEST_TOKEN = "- {account}: {text}"

# A reminder to post by hand: what to do first, then the caption whole, last, so that a body
# cut into parts cuts the caption only and its first part says what it is.
REMINDER_INTRO = "Post this by hand on {where} now ({time}), post {post}:"
REMINDER_ATTACHED = "Media: attached ({files})"
REMINDER_PAGE = "Media: not attached here; see the post's page, {url} ({files})"
REMINDER_FOLDER = (
    "Media: not attached here, and no site.url is set to link the post's page: the media is "
    "in {files} of the calendar folder"
)
NO_MEDIA = "Media: none"
REMINDER_LINK = "Link: {link}"
REMINDER_DONE = "When it is posted: jadwal done {key} --link URL"
REMINDER_PART = "({number}/{total})\n{text}"
REMINDER_NO_CAPTION = "(the caption can't be shown: {problem}; see jadwal preview)"

DIGEST_YESTERDAY = "Yesterday ({day}):"
DIGEST_TODAY = "Today ({day}):"
DIGEST_AT_RISK = "Weeks at risk of fewer than {minimum} post(s) a week:"
DIGEST_WEEK = "- {account}: week of {week}, {count} planned"
DIGEST_ROW = "- {time} {post} on {account}: {state}{detail}"
DIGEST_NOTHING = "- nothing"
DIGEST_PROBLEMS = "Problems: {count} (jadwal history --since {day})"

TEST_BODY = "Test message from jadwal for {office}: notifications to {target} arrive here."
