"""Instagram through instagrapi's private API (``via: instagrapi``), for accounts without a
Facebook Page: feed photo, carousel, reel, story.

The daemon never signs in with a password. ``jadwal login ACCOUNT`` (``login``) signs in once
(password, two-factor code) and saves instagrapi's session settings to ``$JADWAL_SESSION_DIR``
or ``~/.config/jadwal/sessions/ACCOUNT.json`` — outside the calendar repository, mode 0600
(``session``). The adapter (``adapter``) loads that file and reuses it; an expired session, a
challenge or a two-factor prompt pauses the account (``AuthError``) until a person runs
``jadwal login`` again. Fresh password logins from a server are what makes Instagram raise
challenges and block accounts.

Publishing is an upload (``rupload_*``: publishes nothing) followed by a configure request
(``media/configure*``: publishes). Which of the two a failure happened in decides what it
means (``errors``): before configure nothing can be public, so a network failure is safe to
retry; from configure on, Instagram may have published it, so the outcome is unknown and
``find`` settles it by caption (``lookup``). instagrapi does not say which step failed, so
the adapter watches the requests its session sends (``wire``). instagrapi logs whole response
bodies at DEBUG: its loggers mask the session's secrets first (``redact``).

Nothing is imported here: instagrapi is a heavy import, loaded only when an instagrapi
account publishes or signs in.
"""
