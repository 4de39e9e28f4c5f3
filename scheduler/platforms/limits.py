"""What Instagram and Facebook accept, as numbers: the one copy every check, conversion and
adapter reads.

From Meta's IG User Media reference (``POST /<IG_USER_ID>/media``: "Image Specifications",
"Reel Specifications", "Story Video Specifications"), the Page photo and one-request video
upload references, and instagrapi 3.2's upload functions:

- Instagram images: JPEG, "8 MB maximum", aspect ratio "within a 4:5 to 1.91:1 range",
  "Maximum width: 1440 (will be scaled down to the maximum if necessary)"; stories are shown
  full screen (9:16), so the feed's aspect ratio does not apply to them;
- Instagram reels: 3 s to 15 min, 300 MB; story videos: 3 s to 60 s, 100 MB;
- carousels: at most 10 items; captions: 2,200 characters, 30 hashtags, 20 @mentions;
- Facebook: photos up to 10 MB (JPEG and PNG are kept as they are); Page videos in one
  request up to 1 GB and 20 minutes; posts up to 63,206 characters;
- instagrapi: story images are fitted by instagrapi itself (JPEG, PNG or WebP), and
  ``album_upload`` takes .jpg, .jpeg, .png, .webp and .mp4 files only; every image goes
  through ``photo_rupload``, which refuses any other file name ("Only JPG/JPEG/PNG/WEBP
  files are supported"), whatever the file holds.

WhatsApp (posted by hand, see docs/platforms.md for what is assumed and why): a text of at
most 4,096 characters (the WhatsApp Business Platform's limit for a text message; the app
itself publishes no figure for a channel update), a photo's or video's caption cut at 1,024
(the Business Platform's media captions), images as JPEG or PNG of at most 5 MB (its image
messages).

Meta writes "MB" without saying whether it means 10^6 or 2^20 bytes. The decimal reading is
the smaller one, so a file passed here is never refused for a few bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scheduler.i18n import N_

CAROUSEL_MAX = 10
# 4:5 <= width / height <= 1.91:1, compared in integers so that exactly 4:5 or 1.91:1 passes.
RATIO_MIN = (4, 5)
RATIO_MAX = (191, 100)
INSTAGRAPI_IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
INSTAGRAPI_ALBUM_SUFFIXES = INSTAGRAPI_IMAGE_SUFFIXES | {".mp4"}


def ratio_ok(width: int, height: int) -> bool:
    """Instagram's feed aspect ratio, 4:5 to 1.91:1 (the one copy of the rule)."""
    low_w, low_h = RATIO_MIN
    high_w, high_h = RATIO_MAX
    return width * low_h >= height * low_w and width * high_h <= height * high_w


@dataclass(frozen=True)
class Captions:
    platform: str  # as the message names it
    characters: int
    hashtags: int | None = None
    mentions: int | None = None


CAPTIONS = {
    "instagram": Captions("Instagram", characters=2200, hashtags=30, mentions=20),
    "facebook": Captions("Facebook", characters=63206),
    # No hashtag or @mention limit: WhatsApp has no hashtags, and "#" is only text there.
    "whatsapp": Captions("WhatsApp", characters=4096),
}
WHATSAPP_MEDIA_CAPTION = 1024


@dataclass(frozen=True)
class ImageTarget:
    """What an image must be for one destination, and what a converted copy is made into.

    ``formats`` are kept as they are (by Pillow's name); ``framed`` images must have the
    feed's aspect ratio (a converted copy is padded to it, never cropped); ``max_width`` is
    what a converted copy is scaled down to (the platform scales larger ones itself).
    """

    name: str
    formats: frozenset[str]
    max_bytes: int | None
    max_width: int | None = None
    framed: bool = False
    modes: frozenset[str] | None = None  # None: any colour mode is kept
    suffixes: frozenset[str] | None = None  # the file names it takes; None: any name


IG_FEED = ImageTarget(
    "instagram",
    frozenset({"JPEG"}),  # not MPO: Meta refuses "extended JPEG formats"
    8_000_000,
    max_width=1440,
    framed=True,
    modes=frozenset({"RGB", "L"}),  # a CMYK JPEG is still "JPEG", and shows wrongly
)
IG_STORY = ImageTarget(
    "instagram story", frozenset({"JPEG"}), 8_000_000, max_width=1440, modes=IG_FEED.modes
)
# instagrapi reads the format from the file's name: a JPEG named .jfif is refused.
INSTAGRAPI_FEED = replace(IG_FEED, name="instagrapi", suffixes=INSTAGRAPI_IMAGE_SUFFIXES)
INSTAGRAPI_STORY = ImageTarget(
    "instagrapi story",
    frozenset({"JPEG", "PNG", "WEBP"}),
    None,
    suffixes=INSTAGRAPI_IMAGE_SUFFIXES,
)
# What Facebook takes as it is (an MPO is a JPEG with extra pictures appended).
FB_PHOTO = ImageTarget("facebook", frozenset({"JPEG", "MPO", "PNG"}), 10_000_000)
WA_IMAGE = ImageTarget("whatsapp", frozenset({"JPEG", "PNG"}), 5_000_000)
TARGETS = {
    target.name: target
    for target in (IG_FEED, IG_STORY, INSTAGRAPI_FEED, INSTAGRAPI_STORY, FB_PHOTO, WA_IMAGE)
}


@dataclass(frozen=True)
class VideoLimits:
    label: str
    max_bytes: int
    max_seconds: float
    min_seconds: float = 0.0


IG_REEL = VideoLimits(N_("Instagram reels"), 300_000_000, 15 * 60.0, 3.0)
IG_STORY_VIDEO = VideoLimits(N_("Instagram story videos"), 100_000_000, 60.0, 3.0)
FB_VIDEO = VideoLimits(N_("Facebook Page videos"), 1_000_000_000, 20 * 60.0)


def video_limits(platform: str, kind: str) -> VideoLimits:
    if platform == "facebook":
        return FB_VIDEO
    if platform == "instagram" and kind in ("feed", "reel"):
        return IG_REEL  # a single feed video is published as a reel (media_type VIDEO is gone)
    if platform == "instagram" and kind == "story":
        return IG_STORY_VIDEO
    raise ValueError(f"no video limits for platform {platform!r} and kind {kind!r}")
