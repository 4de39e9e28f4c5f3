"""Rules a rendered caption must follow: platform limits and the office's word lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

HASHTAG = re.compile(r"(?<![\w&])#\w+")
MENTION = re.compile(r"(?<![\w.])@[\w.]+")


@dataclass(frozen=True)
class Limits:
    characters: int
    hashtags: int | None = None
    mentions: int | None = None


LIMITS = {
    "instagram": Limits(characters=2200, hashtags=30, mentions=20),
    "facebook": Limits(characters=63206),
}
PLATFORM_NAMES = {"instagram": "Instagram", "facebook": "Facebook"}


def limit_problems(caption: str, platform: str) -> list[str]:
    """Each way the caption breaks the platform's limits, as a sentence."""
    limits = LIMITS[platform]
    name = PLATFORM_NAMES[platform]
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
