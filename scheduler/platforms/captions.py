"""Rules a rendered caption must follow: the platform's limits and the office's word lists."""

from __future__ import annotations

import re
from functools import lru_cache

from scheduler.i18n import _
from scheduler.platforms.findings import Finding, error, warning
from scheduler.platforms.limits import CAPTIONS

HASHTAG = re.compile(r"(?<![\w&])#\w+")
MENTION = re.compile(r"(?<![\w.])@[\w.]+")


def limit_problems(caption: str, platform: str) -> list[str]:
    """Each way the caption breaks the platform's limits, as a sentence."""
    limits = CAPTIONS[platform]
    name = limits.platform
    found: list[str] = []
    if len(caption) > limits.characters:
        found.append(
            _("caption has {count} characters; {name} allows {characters}").format(
                count=len(caption), name=name, characters=limits.characters
            )
        )
    hashtags = len(HASHTAG.findall(caption))
    if limits.hashtags is not None and hashtags > limits.hashtags:
        found.append(
            _("caption has {hashtags} hashtags; {name} allows {hashtags2}").format(
                hashtags=hashtags, name=name, hashtags2=limits.hashtags
            )
        )
    mentions = len(MENTION.findall(caption))
    if limits.mentions is not None and mentions > limits.mentions:
        found.append(
            _("caption has {mentions} @mentions; {name} allows {mentions2}").format(
                mentions=mentions, name=name, mentions2=limits.mentions
            )
        )
    return found


def find_words(caption: str, words: tuple[str, ...]) -> list[str]:
    """The listed words (or phrases) the caption contains, whole words, any letter case."""
    if not words or _any_word(words).search(caption) is None:  # most captions: none of them
        return []
    return [word for word in words if _word(word).search(caption)]


@lru_cache(maxsize=256)
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", flags=re.IGNORECASE)


@lru_cache(maxsize=64)
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches where any of ``words`` does (each alternative is tried at every place)."""
    either = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)", flags=re.IGNORECASE)


def caption_findings(
    caption: str, platform: str, blocked: tuple[str, ...], warned: tuple[str, ...]
) -> list[Finding]:
    """The platform's limits, then the office's blocked (errors) and warned words."""
    return list(_caption_findings(caption, platform, blocked, warned))


# A check renders every occurrence of the coming weeks, and a caption without a date in it
# is the same text on each of them (and on each account of a platform): judged once.
@lru_cache(maxsize=2048)
def _caption_findings(
    caption: str, platform: str, blocked: tuple[str, ...], warned: tuple[str, ...]
) -> tuple[Finding, ...]:
    found = [error(message, "text") for message in limit_problems(caption, platform)]
    found += [
        error(
            _(
                "caption contains the blocked word '{word}' (rules.blocked_words); rephrase it"
            ).format(word=word),
            "text",
        )
        for word in find_words(caption, blocked)
    ]
    found += [
        warning(
            _("caption contains '{word}' (rules.warn_words); make sure it is intended").format(
                word=word
            ),
            "text",
        )
        for word in find_words(caption, warned)
    ]
    return tuple(found)
