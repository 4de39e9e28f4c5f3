"""How the site draws a post: Instagram's "… more" cut, its feed frame and 3:4 grid tile,
carousel items cut to the first item's ratio, and Facebook's photo layouts."""

from __future__ import annotations

from scheduler.site.cards import (
    Tile,
    carousel_crop,
    facebook_tiles,
    feed_caption,
    feed_size,
    grid_crop,
    hashtags,
)


def test_a_short_caption_is_shown_whole() -> None:
    cut = feed_caption("Posyandu dibuka besok.\n#DesaSukamaju")
    assert (cut.shown, cut.more) == ("Posyandu dibuka besok.\n#DesaSukamaju", False)


def test_a_long_caption_is_cut_at_a_word_before_125_characters() -> None:
    caption = "Kerja bakti " * 20
    cut = feed_caption(caption)
    assert cut.more
    assert len(cut.shown) <= 125
    assert cut.shown.split()[-1] in ("Kerja", "bakti")  # no word shown half
    assert caption.startswith(cut.shown)


def test_a_caption_of_more_than_three_lines_is_cut_after_the_third() -> None:
    cut = feed_caption("satu\ndua\ntiga\nempat")
    assert (cut.shown, cut.more) == ("satu\ndua\ntiga", True)


def test_hashtags_are_listed_once_in_order() -> None:
    assert hashtags("#InfoDesa rapat #DesaSukamaju #InfoDesa") == ["#InfoDesa", "#DesaSukamaju"]


def test_the_feed_pads_a_tall_or_wide_picture_and_keeps_one_in_range() -> None:
    assert feed_size(1080, 1920) == (1536, 1920)  # 9:16 gets bars to 4:5
    assert feed_size(3000, 1000) == (3000, 1571)  # 3:1 gets bars to 1.91:1
    assert feed_size(1000, 1000) == (1000, 1000)


def test_the_profile_grid_shows_a_centred_three_by_four_tile() -> None:
    assert grid_crop(1080, 1350) == (34, 0, 1046, 1350)
    assert grid_crop(1080, 1080) == (135, 0, 945, 1080)


def test_later_carousel_items_are_cut_to_the_first_items_ratio() -> None:
    assert carousel_crop((1080, 1350), 1080, 1080) == (108, 0, 972, 1080)


def test_facebook_shows_five_photos_and_counts_the_rest() -> None:
    assert facebook_tiles(1) == [[Tile(0, True)]]
    assert facebook_tiles(3) == [[Tile(0, True)], [Tile(1, False), Tile(2, False)]]
    rows = facebook_tiles(7)
    assert [len(row) for row in rows] == [2, 3]
    assert rows[1][-1] == Tile(4, False, 2)
