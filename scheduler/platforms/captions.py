"""Rules a rendered caption must follow: the platform's limits and the office's word lists."""

from __future__ import annotations

import re

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
        found.append(f"caption has {len(caption)} characters; {name} allows {limits.characters}")
    hashtags = len(HASHTAG.findall(caption))
    if limits.hashtags is not None and hashtags > limits.hashtags:
        found.append(f"caption has {hashtags} hashtags; {name} allows {limits.hashtags}")
    mentions = len(MENTION.findall(caption))
    if limits.mentions is not None and mentions > limits.mentions:
        found.append(f"caption has {mentions} @mentions; {name} allows {limits.mentions}")
    return found


def find_words(caption: str, words: tuple[str, ...]) -> list[str]:
    """The listed words (or phrases) the caption contains, whole words, any letter case."""
    found = []
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", caption, flags=re.IGNORECASE):
            found.append(word)
    return found


def caption_findings(
    caption: str, platform: str, blocked: tuple[str, ...], warned: tuple[str, ...]
) -> list[Finding]:
    """The platform's limits, then the office's blocked (errors) and warned words."""
    found = [error(message, "text") for message in limit_problems(caption, platform)]
    found += [
        error(
            f"caption contains the blocked word '{word}' (rules.blocked_words); rephrase it",
            "text",
        )
        for word in find_words(caption, blocked)
    ]
    found += [
        warning(f"caption contains '{word}' (rules.warn_words); make sure it is intended", "text")
        for word in find_words(caption, warned)
    ]
    return found
