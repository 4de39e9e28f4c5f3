"""What a route lacks, in words: the account-level problems of the rules in ``rules.py``.

Marked for the catalog here and translated where they are reported (``_(NO_ROUTE)``), since
the language is chosen after the modules are imported; ``accounts check`` says
``NEEDS_PUBLIC_URL`` too.
"""

from __future__ import annotations

from scheduler.i18n import N_

NO_ROUTE = N_(
    "the Instagram Graph API fetches images from a public URL; set media.public_base_url (where "
    "the media folder is served) or media.staging: facebook_page (videos are uploaded without "
    "either)"
)
NEEDS_PUBLIC_URL = N_(
    "via: instagram_login takes media only from a public URL: set media.public_base_url (where "
    "the media folder is served); it has no Facebook Page to stage images through, and "
    "Instagram's resumable upload is only for apps that use Facebook Login"
)
FB_RESUMABLE_MP4 = N_(
    "media '{name}': Meta's Resumable Upload API (user_token) takes MP4 videos only: convert it "
    "to MP4, or remove user_token to upload it with the post"
)
STAGING_NEEDS_PAGE = N_(
    "media.staging: facebook_page needs the Facebook Page linked to this Instagram account: add "
    "its page_id"
)
REEL_SHAPE = N_("a reel takes exactly one video (MP4 or MOV) and at most one image, its cover")
