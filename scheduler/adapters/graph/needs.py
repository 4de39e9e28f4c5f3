"""What each Graph route needs from its token, from the reference of each endpoint it calls,
and the reads that show it with a Page token (``graph.permissions`` uses both).

Facebook Page (Pages API, Posts guide): ``pages_manage_posts`` and ``pages_read_engagement``,
with the Page's own access token. Instagram through a Page (IG User Media, Media Publish,
Content Publishing Limit): ``instagram_basic``, ``instagram_content_publish``,
``pages_read_engagement``, ``pages_show_list`` with a user token (the Getting Started of
Facebook Login for Business), and one of ``ads_management``/``ads_read`` when the person's
role on the Page was given through Business Manager. Insights (``graph.insights``) need
``read_insights`` for a Page's posts and ``instagram_manage_insights`` for Instagram media,
each beside ``pages_read_engagement`` (Page Post Insights, Instagram Media Insights).
"""

from __future__ import annotations

from scheduler.adapters.credentials import secret_for
from scheduler.adapters.graph.permissions import Needs, Probe
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import AuthError
from scheduler.i18n import _

PAGE_PUBLISH = ("pages_manage_posts", "pages_read_engagement")
IG_PUBLISH = ("instagram_basic", "instagram_content_publish", "pages_read_engagement")


def facebook_needs(page: str) -> Needs:
    return Needs(
        publish=PAGE_PUBLISH,
        insights=("read_insights", "pages_read_engagement"),
        page_token=True,
        # Reading the Page needs pages_read_engagement; no read needs pages_manage_posts.
        publish_probes=(Probe(page, {"fields": "id,name"}, ("pages_read_engagement",)),),
        insight_probes=(
            Probe(
                f"{page}/insights",
                {"metric": "page_post_engagements", "period": "day"},
                ("read_insights", "pages_read_engagement"),
            ),
        ),
        unreadable=("pages_manage_posts",),
        targets=(("pages_", page), ("read_insights", page)),
        page=page,
    )


def instagram_needs(ig_user: str, page: str | None) -> Needs:
    targets = (("instagram_", ig_user),) + ((("pages_", page),) if page else ())
    return Needs(
        publish=IG_PUBLISH,
        insights=("instagram_manage_insights", "pages_read_engagement"),
        user_only=("pages_show_list",),
        business=("ads_management", "ads_read"),
        # content_publishing_limit asks exactly what publishing asks (Business Manager's
        # ads permission included), and only reads a count.
        publish_probes=(
            Probe(f"{ig_user}/content_publishing_limit", {"fields": "quota_usage"}, IG_PUBLISH),
        ),
        insight_probes=(
            Probe(
                f"{ig_user}/insights",
                {"metric": "reach", "period": "day"},
                ("instagram_manage_insights", "pages_read_engagement"),
            ),
        ),
        targets=targets,
        page=page,
    )


def app_token_for(calendar: Calendar, account: Account) -> str | None:
    """The app's access token (``{app_id}|{app_secret}``) when the account names both (an
    ``app_id`` beside a ``user_token`` is for Page videos, and makes no app token alone)."""
    app_id = secret_for(calendar, account, "app_id")
    secret = secret_for(calendar, account, "app_secret")
    if (app_id is None and secret is None) or (secret is None and account.resumable_videos):
        return None
    if app_id is None or secret is None:
        given, absent = ("app_id", "app_secret") if secret is None else ("app_secret", "app_id")
        said = _("account {account} has {given} but no {absent}: add both or neither")
        raise AuthError(said.format(account=account.name, given=given, absent=absent))
    return f"{app_id}|{secret}"
