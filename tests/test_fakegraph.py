"""The fake Graph API itself, driven with plain ``requests`` as the adapters' HTTP would be."""

from __future__ import annotations

import hashlib
import io
import json
import time
from typing import Any

import pytest
import requests
from PIL import Image

from tests.fakegraph import FakeGraph
from tests.fakegraph import fake_graph as _fake_graph  # noqa: F401  (the fixture, by its name)

PAGE = "104000000000001"
IG = "17841400000000001"
TOKEN = "EAAG-page-token-that-must-never-be-logged"


def jpeg(width: int, height: int, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def get(fake: FakeGraph, path: str, token: str = TOKEN, **params: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(f"{fake.url}/v25.0/{path}", params=params, headers=headers, timeout=5)


def post(
    fake: FakeGraph,
    path: str,
    token: str = TOKEN,
    files: dict[str, Any] | None = None,
    timeout: float = 5,
    **data: str,
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{fake.url}/v25.0/{path}"
    return requests.post(url, data=data, files=files, headers=headers, timeout=timeout)


def error_of(response: requests.Response) -> tuple[int, int | None]:
    error = response.json()["error"]
    return error["code"], error.get("error_subcode")


def wait_status(fake: FakeGraph, container: str) -> list[str]:
    """Poll a container as an adapter would; every status seen, the last one not IN_PROGRESS."""
    seen: list[str] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        seen.append(get(fake, container, fields="status_code,status").json()["status_code"])
        if seen[-1] != "IN_PROGRESS":
            return seen
        time.sleep(0.03)
    raise AssertionError(f"container {container} never left IN_PROGRESS")


def ig_container(fake: FakeGraph, **fields: str) -> str:
    answer = post(fake, f"{IG}/media", **fields)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_token_in_a_header_or_a_parameter_and_never_recorded(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    app = fake_graph.add_app("1000000000000001", "appSECRET0123456789")
    me = f"{fake_graph.url}/v25.0/me"
    answers = [
        requests.get(me, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5),
        requests.get(me, headers={"Authorization": f"OAuth {TOKEN}"}, timeout=5),
        requests.get(me, params={"access_token": TOKEN}, timeout=5),
        get(fake_graph, "debug_token", token=app, input_token=TOKEN),
    ]

    for answer in answers[:3]:
        assert answer.status_code == 200
        assert answer.headers["Content-Type"] == "application/json; charset=UTF-8"
        assert answer.json() == {"id": PAGE, "name": f"Fake Page {PAGE}"}
    info = answers[3].json()["data"]
    assert info["is_valid"] is True and "pages_manage_posts" in info["scopes"]
    assert [r["auth"] for r in fake_graph.requests] == ["header", "header", "param", "header"]
    assert TOKEN not in json.dumps(fake_graph.requests)
    assert "appSECRET" not in json.dumps(fake_graph.requests)


def test_unknown_and_dead_tokens_answer_190(fake_graph: FakeGraph) -> None:
    fake_graph.add_token("dead-token", pages=[PAGE], valid=False)
    app = fake_graph.add_app("1000000000000001", "appSECRET0123456789")

    unknown = get(fake_graph, "me", token="nobody-issued-this")
    dead = get(fake_graph, PAGE, token="dead-token")
    info = get(fake_graph, "debug_token", token=app, input_token="dead-token")

    assert (unknown.status_code, dead.status_code) == (400, 400)
    assert error_of(unknown) == (190, None)  # no subcode: "invalid", per the docs
    assert error_of(dead) == (190, 460)  # the session died (password change)
    assert unknown.json()["error"]["type"] == "OAuthException"
    assert unknown.json()["error"]["fbtrace_id"]
    assert info.json()["data"]["is_valid"] is False
    assert info.json()["data"]["error"]["code"] == 190


def test_other_versions_unknown_objects_and_fields_are_refused(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    old = requests.get(
        f"{fake_graph.url}/v19.0/me", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
    )

    assert error_of(old) == (2635, None)
    assert error_of(get(fake_graph, "999")) == (100, 33)
    assert get(fake_graph, "999").json()["error"]["type"] == "GraphMethodException"
    assert get(fake_graph, PAGE, fields="id,name").json() == {
        "id": PAGE,
        "name": f"Fake Page {PAGE}",
    }
    assert error_of(get(fake_graph, PAGE, fields="id,permalink")) == (100, None)
    assert error_of(get(fake_graph, f"{PAGE}/no_such_edge")) == (2500, None)


def test_tokens_without_the_page_or_the_scope_are_permission_errors(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.add_token("reader", pages=[PAGE], ig_users=[IG], scopes=("pages_read_engagement",))
    fake_graph.add_token("elsewhere", pages=["104000000000002"])
    url = fake_graph.serve_file("a.jpg", jpeg(100, 100))

    assert error_of(post(fake_graph, f"{PAGE}/feed", token="reader", message="x")) == (200, None)
    assert error_of(post(fake_graph, f"{IG}/media", token="reader", image_url=url)) == (10, None)
    assert error_of(get(fake_graph, PAGE, token="elsewhere")) == (100, 33)
    assert fake_graph.posts == []


def test_debug_token_needs_the_apps_token_never_the_token_itself(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    fake_graph.add_app("1000000000000001", "appSECRET0123456789")

    itself = get(fake_graph, "debug_token", input_token=TOKEN)
    wrong = get(fake_graph, "debug_token", token="1000000000000001|nope", input_token=TOKEN)
    right = get(
        fake_graph, "debug_token", token="1000000000000001|appSECRET0123456789", input_token=TOKEN
    )

    assert error_of(itself) == (100, None) and error_of(wrong) == (190, None)
    assert (right.json()["data"]["type"], right.json()["data"]["profile_id"]) == ("PAGE", PAGE)


def test_me_permissions_lists_a_user_tokens_grants_and_is_no_edge_of_a_page(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    fake_graph.add_token("user-token", ig_users=[IG], scopes=["instagram_basic"])

    page = get(fake_graph, "me/permissions")
    user = get(fake_graph, "me/permissions", token="user-token")

    assert error_of(page) == (100, None)
    assert "node type (Page)" in page.json()["error"]["message"]
    assert user.json() == {"data": [{"permission": "instagram_basic", "status": "granted"}]}


def test_harmless_reads_need_what_publishing_and_insights_need(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(
        TOKEN, pages=[PAGE], ig_users=[IG], scopes=["instagram_basic", "pages_read_engagement"]
    )
    fake_graph.add_token(
        "insights",
        pages=[PAGE],
        ig_users=[IG],
        scopes=[
            "instagram_basic",
            "instagram_manage_insights",
            "pages_read_engagement",
            "read_insights",
        ],
    )
    day = {"period": "day"}

    limit = get(fake_graph, f"{IG}/content_publishing_limit")
    ig_insights = get(fake_graph, f"{IG}/insights", metric="reach", **day)
    page_insights = get(fake_graph, f"{PAGE}/insights", metric="page_post_engagements", **day)
    granted = [
        get(fake_graph, f"{IG}/insights", token="insights", metric="reach", **day),
        get(
            fake_graph, f"{PAGE}/insights", token="insights", metric="page_post_engagements", **day
        ),
    ]

    assert [error_of(a) for a in (limit, ig_insights, page_insights)] == [(10, None)] * 3
    assert [a.json()["data"][0]["name"] for a in granted] == ["reach", "page_post_engagements"]


def test_unpublished_photos_serve_their_images_then_make_an_album(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    pictures = [jpeg(800, 600), jpeg(600, 800)]
    staged = []
    for index, picture in enumerate(pictures):
        files = {"source": (f"p{index}.jpg", picture, "image/jpeg")}
        answer = post(fake_graph, f"{PAGE}/photos", files=files, published="false")
        assert list(answer.json()) == ["id"]
        staged.append(answer.json()["id"])
    assert fake_graph.posts == []  # nothing public yet

    image = get(fake_graph, staged[0], fields="images").json()["images"][0]
    served = requests.get(image["source"], timeout=5)
    assert (image["width"], image["height"]) == (800, 600)
    assert served.content == pictures[0] and served.headers["Content-Type"] == "image/jpeg"

    attached = {f"attached_media[{i}]": json.dumps({"media_fbid": p}) for i, p in enumerate(staged)}
    post_id = post(fake_graph, f"{PAGE}/feed", message="Dua foto", **attached).json()["id"]

    [album] = fake_graph.posts
    digests = [f"sha256:{hashlib.sha256(p).hexdigest()}" for p in pictures]
    assert album["id"] == post_id and post_id.startswith(f"{PAGE}_")
    assert (album["kind"], album["text"], album["media"]) == ("fb_album", "Dua foto", digests)
    suffix = post_id.split("_")[1]
    assert album["permalink"] == f"https://www.facebook.com/{PAGE}/posts/{suffix}"
    read = get(fake_graph, post_id, fields="permalink_url,message").json()
    assert read == {"id": post_id, "permalink_url": album["permalink"], "message": "Dua foto"}
    assert fake_graph.requests[0]["params"]["source"]["size"] == len(pictures[0])


def test_published_photo_duplicates_and_newest_first_posts(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    png_url = fake_graph.serve_file("poster.png", jpeg(500, 500, "PNG"), "image/png")

    photo = post(fake_graph, f"{PAGE}/photos", url=png_url, caption="Poster").json()
    first = post(fake_graph, f"{PAGE}/feed", message="Selamat pagi")
    again = post(fake_graph, f"{PAGE}/feed", message="Selamat pagi")

    assert set(photo) == {"id", "post_id"}
    assert fake_graph.posts[0]["kind"] == "fb_photo" and fake_graph.posts[0]["media"] == [png_url]
    assert first.status_code == 200 and error_of(again) == (506, None)
    listed = get(fake_graph, f"{PAGE}/posts", fields="id,message,permalink_url", limit=1).json()
    assert listed["data"][0]["id"] == first.json()["id"]  # newest first
    following = requests.get(
        listed["paging"]["next"], headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
    ).json()
    assert [p["id"] for p in following["data"]] == [photo["post_id"]]
    assert following["data"][0]["message"] == "Poster"
    assert "next" not in following["paging"]


def test_instagram_container_lifecycle(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, ig_users=[IG])
    url = fake_graph.serve_file("square.jpg", jpeg(1080, 1080))
    container = ig_container(fake_graph, image_url=url, caption="Selamat pagi #kota")

    early = post(fake_graph, f"{IG}/media_publish", creation_id=container)
    seen = wait_status(fake_graph, container)
    published = post(fake_graph, f"{IG}/media_publish", creation_id=container)
    twice = post(fake_graph, f"{IG}/media_publish", creation_id=container)

    assert error_of(early) == (9007, 2207027)
    assert seen[0] == "IN_PROGRESS" and seen[-1] == "FINISHED"
    media_id = published.json()["id"]
    assert twice.status_code == 400 and len(fake_graph.posts) == 1  # never a second post
    assert get(fake_graph, container, fields="status_code").json()["status_code"] == "PUBLISHED"
    [record] = fake_graph.posts
    assert (record["kind"], record["target"], record["media"]) == ("ig_image", IG, [url])
    assert record["permalink"].startswith("https://www.instagram.com/p/")
    node = get(fake_graph, media_id, fields="permalink,caption").json()
    assert node == {"id": media_id, "permalink": record["permalink"], "caption": record["text"]}
    recent = get(fake_graph, f"{IG}/media", fields="id,caption,permalink,timestamp", limit=5)
    assert [m["id"] for m in recent.json()["data"]] == [media_id]
    limit = get(fake_graph, f"{IG}/content_publishing_limit", fields="config,quota_usage")
    assert limit.json() == {
        "data": [{"quota_usage": 1, "config": {"quota_total": 100, "quota_duration": 86400}}]
    }
    assert fake_graph.static_requests == ["/static/square.jpg"]  # the fake fetched the URL


def test_carousel_counts_once_against_the_quota(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, ig_users=[IG])
    urls = [fake_graph.serve_file(f"{i}.jpg", jpeg(1080, 1350)) for i in range(2)]
    children = [ig_container(fake_graph, image_url=u, is_carousel_item="true") for u in urls]

    lonely = post(fake_graph, f"{IG}/media", media_type="CAROUSEL", children=children[0])
    carousel = ig_container(
        fake_graph, media_type="CAROUSEL", children=",".join(children), caption="Galeri"
    )
    assert wait_status(fake_graph, carousel)[-1] == "FINISHED"
    post(fake_graph, f"{IG}/media_publish", creation_id=carousel).raise_for_status()

    assert error_of(lonely) == (100, None)
    assert [(p["kind"], p["media"]) for p in fake_graph.posts] == [("ig_carousel", urls)]
    limit = get(fake_graph, f"{IG}/content_publishing_limit").json()
    assert limit["data"][0]["quota_usage"] == 1


def test_quota_exhaustion_refuses_publishing(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, ig_users=[IG])
    fake_graph.set_quota_usage(IG, 100)
    container = ig_container(fake_graph, image_url=fake_graph.serve_file("a.jpg", jpeg(99, 99)))
    wait_status(fake_graph, container)

    refused = post(fake_graph, f"{IG}/media_publish", creation_id=container)

    assert error_of(refused) == (9, 2207042)
    assert refused.json()["error"]["is_transient"] is False
    assert fake_graph.posts == []


def test_unreachable_or_unsuitable_media_is_refused(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, ig_users=[IG])
    unreachable = [
        f"{fake_graph.url}/static/missing.jpg",  # 404
        "http://127.0.0.1:9/closed-port.jpg",
        "https://cdn.example.org/a.jpg",  # never contacted (the conftest guard would fail it)
    ]
    for url in unreachable:
        assert error_of(post(fake_graph, f"{IG}/media", image_url=url)) == (9004, 2207052)

    png = fake_graph.serve_file("a.png", jpeg(100, 100, "PNG"), "image/png")
    tall = fake_graph.serve_file("tall.jpg", jpeg(1080, 1920))
    assert error_of(post(fake_graph, f"{IG}/media", image_url=png))[0] == 36001
    assert error_of(post(fake_graph, f"{IG}/media", image_url=tall)) == (36003, 2207009)
    ig_container(fake_graph, image_url=tall, media_type="STORIES")  # 9:16 is fine for a story


def test_container_outcome_error_is_reported_and_unpublishable(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, ig_users=[IG])
    fake_graph.set_container_outcome("ERROR")
    video = fake_graph.serve_file("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    container = ig_container(fake_graph, media_type="REELS", video_url=video, caption="Reel")

    assert wait_status(fake_graph, container)[-1] == "ERROR"
    status = get(fake_graph, container, fields="status").json()["status"]
    assert "2207001" in status  # on ERROR the docs put the error subcode in ``status``
    assert post(fake_graph, f"{IG}/media_publish", creation_id=container).status_code == 400
    assert fake_graph.posts == []


def test_an_error_container_names_the_subcode_it_was_given_and_reads_are_counted(
    fake_graph: FakeGraph,
) -> None:
    fake_graph.add_token(TOKEN, ig_users=[IG])
    fake_graph.set_container_outcome("ERROR", subcode=2207053)
    video = fake_graph.serve_file("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
    container = ig_container(fake_graph, media_type="REELS", video_url=video, caption="Reel")
    seen = wait_status(fake_graph, container)
    status = get(fake_graph, container, fields="status_code,status").json()["status"]
    assert status == "Error: Media upload has failed with error code 2207053"
    assert fake_graph.status_reads() == [container] * (len(seen) + 1)


def test_fail_next_answers_metas_error_shape_then_recovers(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    fake_graph.fail_next(
        code=2,
        message="Service temporarily unavailable",
        status=503,
        is_transient=True,
        path_contains="/feed",
    )

    unrelated = get(fake_graph, "me")
    failed = post(fake_graph, f"{PAGE}/feed", message="Pengumuman")
    retried = post(fake_graph, f"{PAGE}/feed", message="Pengumuman")

    assert unrelated.status_code == 200
    assert failed.status_code == 503
    assert failed.headers["Content-Type"] == "application/json; charset=UTF-8"
    error = failed.json()["error"]
    assert set(error) == {"message", "type", "code", "is_transient", "fbtrace_id"}
    assert (error["code"], error["type"], error["is_transient"]) == (2, "OAuthException", True)
    assert retried.status_code == 200
    assert [p["text"] for p in fake_graph.posts] == ["Pengumuman"]  # the failure did nothing


def test_html_error_next_is_a_proxy_page(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    fake_graph.html_error_next(2, status=502)

    pages = [get(fake_graph, "me") for _ in range(3)]

    assert [p.status_code for p in pages] == [502, 502, 200]
    assert pages[0].headers["Content-Type"].startswith("text/html")
    assert "502 Bad Gateway" in pages[0].text


def test_drop_after_accept_posts_but_never_answers(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    fake_graph.drop_after_accept_next("/feed")

    with pytest.raises(requests.ConnectionError):
        post(fake_graph, f"{PAGE}/feed", message="Hilang di jalan")

    assert [p["text"] for p in fake_graph.posts] == ["Hilang di jalan"]
    assert get(fake_graph, f"{PAGE}/posts").json()["data"][0]["message"] == "Hilang di jalan"


def test_latency_delays_the_answer_not_the_work(fake_graph: FakeGraph) -> None:
    fake_graph.add_token(TOKEN, pages=[PAGE])
    fake_graph.latency = 0.5

    with pytest.raises(requests.Timeout):
        post(fake_graph, f"{PAGE}/feed", message="Lambat", timeout=0.2)

    assert [p["text"] for p in fake_graph.posts] == ["Lambat"]


def test_stop_closes_idle_keep_alive_connections() -> None:
    with FakeGraph() as fake, requests.Session() as session:
        fake.add_token(TOKEN, pages=[PAGE])
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert session.get(f"{fake.url}/v25.0/me", headers=headers, timeout=5).ok
        started = time.monotonic()
        fake.stop()  # the session still holds its pooled connection open
        assert time.monotonic() - started < 2
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{fake.url}/v25.0/me", headers=headers, timeout=5)
