"""Each network's text counted as that network counts it: X against X's own conformance suite,
graphemes for Bluesky, links as 23 for Mastodon, UTF-16 for TikTok; emoji, combining marks and
Indonesian text; hashtags and mentions; and [channels.X] network and [networks.NAME] in a plan."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import PlanError
from planner.loader import plan_from_text
from planner.networks import BUILT_IN, hashtags, length, limits_of, mentions, over_network_limits, urls
from tests.conftest import DATA, plan_text, post_toml

CONFORMANCE = json.loads((DATA / "twitter-text-v3.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CONFORMANCE, ids=[case["description"] for case in CONFORMANCE])
def test_x_counts_as_twitter_texts_conformance_suite(case):
    assert length(case["text"], "weighted") == case["weightedLength"]


INDONESIAN = "Selamat pagi, Bandung! Kopi susu gula aren hari ini diskon 20% untuk mahasiswa."


@pytest.mark.parametrize(
    ("text", "x", "bluesky", "mastodon", "tiktok", "characters"),
    [
        (INDONESIAN, 79, 79, 79, 79, 79),
        ("Kafé", 4, 4, 4, 4, 4),  # é written as one code point
        ("Kafe\u0301", 4, 4, 4, 5, 5),  # e and a combining acute: X reads it in NFC, one grapheme
        ("Aksara Jawa ꦏꦺꦴꦥꦶ", 22, 14, 14, 17, 17),  # Javanese: 2 each on X; its vowel signs join their consonant
        ("Ngopi ☕🇮🇩", 10, 8, 8, 11, 9),  # a flag is two regional indicators, one grapheme
        ("Keluarga 👨‍👩‍👧‍👦", 11, 10, 10, 20, 16),  # one family emoji of seven code points
        ("Baca https://kopisenja.example/blog/kopi-susu-gula-aren", 28, 55, 28, 55, 55),
        ("Halo @rina@mastodon.social!", 27, 27, 11, 27, 27),
        ("xhttps://k.id/a https://k.id/a", 39, 30, 39, 30, 30),  # only the second is a link: the first follows a letter
    ],
)
def test_each_network_counts_its_own_way(text, x, bluesky, mastodon, tiktok, characters):
    assert [length(text, counting) for counting in ("weighted", "graphemes", "mastodon", "utf16", "characters")] == [x, bluesky, mastodon, tiktok, characters]


def test_links_hashtags_and_mentions_are_found_as_the_networks_find_them():
    text = "Promo #1 di Bandung! #KopiSusu #ngopi_pagi (https://id.wikipedia.org/wiki/Kopi_(minuman)) email rina@kopi.example @andi @kopi@mastodon.social https://kopisenja.example/#menu"
    assert urls(text) == ["https://id.wikipedia.org/wiki/Kopi_(minuman)", "https://kopisenja.example/#menu"]
    assert hashtags(text) == ["#KopiSusu", "#ngopi_pagi"]  # not #1, not a link's #menu
    assert mentions(text) == ["@andi", "@kopi@mastodon.social"]  # not an e-mail address
    assert urls("(lihat https://k.id/a)) dan https://k.id/b).") == ["https://k.id/a", "https://k.id/b"]


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_without_links_x_counts_between_one_per_grapheme_and_two_per_code_point(text):
    if urls(text):
        return
    assert length(text, "graphemes") <= length(text.replace("\r\n", "\n"), "weighted") <= 2 * len(text)


PIECES = st.sampled_from(["Kopi ", "é", "e\u0301", "☕", "👩🏽‍🍳", "🇮🇩", "1️⃣", "故", "ꦏꦺꦴ", " https://k.id ", " Www.a.co ", "@rina@m.social ", "#kopi ", "\r\n", "\u200d"])


@given(st.lists(PIECES, max_size=40).map("".join))
def test_no_count_passes_the_bound_that_lets_a_short_post_skip_counting(text):
    from planner.networks import _at_most

    for counting in ("weighted", "graphemes", "mastodon", "utf16", "utf8", "characters"):
        assert length(text, counting) <= _at_most(text, counting), counting


CHANNELS = """\
[channels.twitter]
owner = "rina"

[channels.insta]
network = "instagram"
owner = "rina"

[channels.newsletter]
owner = "rina"

[team.rina]
roles = ["social"]

"""


def test_a_channel_is_on_the_network_its_name_or_its_network_key_says():
    plan = plan_from_text(plan_text(CHANNELS), "plan.toml")
    assert {name: channel.network for name, channel in plan.channels.items()} == {"twitter": "x", "insta": "instagram", "newsletter": None}
    assert limits_of(plan, "twitter") is BUILT_IN["x"] and limits_of(plan, "newsletter") is None


def test_twitter_is_x_as_a_network_too():
    text = plan_text(CHANNELS.replace('network = "instagram"', 'network = "twitter"') + "[networks.twitter]\nmax_chars = 4000\n")
    plan = plan_from_text(text, "plan.toml")
    assert plan.channels["insta"].network == "x" and plan.networks["x"].max_chars == 4000
    assert problems(text + "\n[networks.x]\nmax_chars = 25000\n") == ["32: [networks.twitter] and [networks.x] both set x's limits; keep one"]


def test_a_plan_overrides_a_networks_limits():
    text = plan_text(CHANNELS + "[networks.x]\nmax_chars = 25000\n\n[networks.instagram]\nmax_hashtags = 0\n\n")
    long = "Kopi " * 100
    text += post_toml("long", "2027-01-04T10:00:00", channel="twitter", body=f'"{long}"')
    text += post_toml("tagged", "2027-01-05T10:00:00", channel="insta", body='"Ngopi #kopi"')
    plan = plan_from_text(text, "plan.toml")
    assert plan.networks["x"].max_chars == 25000 and plan.networks["x"].counting == "weighted"
    assert [over_network_limits(plan, post) for post in plan.posts] == [None, "1 hashtag; instagram takes at most 0"]


def test_youtube_counts_its_description_in_utf8_bytes():
    assert length("Kopi ☕ 🇮🇩", "utf8") == 5 + 3 + 1 + 8


def test_a_networks_title_is_checked_apart_from_its_text():
    text = plan_text('[channels.youtube]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n')
    text += post_toml("video", "2027-01-04T10:00:00", channel="youtube", title='"' + "Cara menyeduh kopi tubruk " * 4 + '"', body='"#kopi #tubruk"')
    plan = plan_from_text(text, "plan.toml")
    assert over_network_limits(plan, plan.posts[0]) == "104 characters in the title; youtube takes at most 100"


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        plan_from_text(text, "plan.toml")
    return [f"{problem.line}: {problem.message}" for problem in caught.value.problems]


def test_hostile_networks_tables_are_located_errors():
    text = plan_text(
        CHANNELS.replace('network = "instagram"', 'network = "instgram"')
        + "[networks.x]\nmax_chars = 99999999999\nmax_hashtags = -1\nmax_title = 80\nmax_links = 2\n\n"
        + '[networks.myspace]\nmax_chars = 100\n\n[networks.bluesky]\nmax_chars = "300"\n\n[networks.threads]\nmax_mentions = 1.5\n\n'
        + "[networks.mastodon]\nmax_chars = 0\n\n[networks.youtube]\nmax_title = inf\n"
    )
    known = "(known: bluesky, facebook, instagram, linkedin, mastodon, pinterest, threads, tiktok, x, youtube)"
    assert problems(text) == [
        f"20: unknown network 'instgram'; did you mean 'instagram'? {known}",
        "30: max_chars must be a whole number from 1 to 1,000,000, not the number 99999999999",
        "31: max_hashtags must be a whole number from 0 to 1,000,000, not the number -1",
        "32: x posts have no title; max_title goes with youtube, pinterest",
        "33: unknown key 'max_links' in [networks.x]",
        f"35: unknown network 'myspace' {known}",
        "39: max_chars must be a whole number from 1 to 1,000,000, not the string '300'",
        "42: max_mentions must be a whole number from 0 to 1,000,000, not the number 1.5",
        "45: max_chars must be a whole number from 1 to 1,000,000, not the number 0",
        "48: max_title must be a whole number from 1 to 1,000,000, not inf",
    ]
    assert problems(plan_text(CHANNELS + "[networks]\nx = 3\n")) == ["30: x must be a table, not the number 3"]
    assert problems(plan_text(CHANNELS.replace('network = "instagram"', "network = 7"))) == [
        "20: network must be the name of a network: x, instagram, facebook, linkedin, tiktok, threads, bluesky, mastodon, youtube, pinterest, not the number 7"
    ]
