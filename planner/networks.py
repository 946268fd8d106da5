"""What each social network takes in one post, and a post's text counted as that network counts it.

The built-in limits come from the vendors' own documentation, checked on 2026-12-02; each
entry names its page (see also docs/networks.md). A plan overrides them in ``[networks.NAME]``
(an X Premium account, a Mastodon instance that allows 5,000 characters).

Counting differs per network, and a post a network would refuse must be caught here:

- ``weighted`` (X): X's published rule (twitter-text's config v3): text in NFC; a URL counts
  23; an emoji, however many code points it holds, counts 2; any other code point counts 1
  in the ranges X lists (Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul
  Jamo and the rest up to U+10FF, some punctuation) and 2 elsewhere (CJK, emoji).
- ``graphemes`` (Bluesky): user-perceived characters, Unicode's extended grapheme clusters.
- ``mastodon``: a URL counts 23 and ``@user@domain`` counts as ``@user``; then graphemes
  (Mastodon's StatusLengthValidator).
- ``utf16`` (TikTok): UTF-16 code units, as TikTok's API states its caption limit.
- ``utf8`` (YouTube's description): bytes of UTF-8, as YouTube's API states it.
- ``characters``: Unicode code points, Python's ``len``.

Graphemes come from the ``regex`` package's ``\\X`` (Python's ``re`` has none), imported only
when a text needs it, so a check of a plan without such networks does not load it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

from planner.model import Plan, Post

CHECKED = "2026-12-02"  # when the built-in limits were last read against the vendors' docs
LIMIT_KEYS = ("max_chars", "max_hashtags", "max_mentions", "max_title")
MAX_LIMIT = 1_000_000  # no network takes a post of a million characters: a bigger figure is a typo
TWITTER_URL_LENGTH = 23  # X (t.co) and Mastodon count every link as 23 characters


class NetworkLimits(NamedTuple):  # a NamedTuple: every check imports this module, and a dataclass costs ms to make
    """What one post may hold on a network; None: the network sets no limit."""

    network: str
    max_chars: int
    counting: str
    max_hashtags: int | None = None
    max_mentions: int | None = None
    max_title: int | None = None  # only networks whose posts have a title apart from the text
    source: str = ""

    @property
    def has_title(self) -> bool:
        return self.max_title is not None


BUILT_IN: dict[str, NetworkLimits] = {
    limits.network: limits
    for limits in (
        NetworkLimits("x", 280, "weighted", source="https://docs.x.com/resources/fundamentals/counting-characters"),
        NetworkLimits(
            "instagram", 2200, "characters", max_hashtags=5, max_mentions=20,  # 5 hashtags since December 2025 (was 30)
            source="https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media",
        ),
        NetworkLimits("facebook", 63206, "characters", source="https://developers.facebook.com/docs/graph-api/reference/page/feed/"),
        NetworkLimits("linkedin", 3000, "characters", source="https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api"),
        NetworkLimits("tiktok", 2200, "utf16", source="https://developers.tiktok.com/doc/content-posting-api-reference-direct-post"),
        NetworkLimits("threads", 500, "characters", max_hashtags=1, source="https://developers.facebook.com/docs/threads/create-posts"),
        NetworkLimits("bluesky", 300, "graphemes", source="https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json"),
        NetworkLimits("mastodon", 500, "mastodon", source="https://docs.joinmastodon.org/user/posting/#text"),
        NetworkLimits(
            "youtube", 5000, "utf8", max_hashtags=60, max_title=100,  # the description: 5,000 bytes
            source="https://developers.google.com/youtube/v3/docs/videos#snippet.title",
        ),
        NetworkLimits("pinterest", 800, "characters", max_title=100, source="https://developers.pinterest.com/docs/api/v5/pins-create"),
    )
}
NETWORKS = tuple(BUILT_IN)
ALIASES = {"twitter": "x"}  # a channel named twitter is on X


def network_of_name(channel: str) -> str | None:
    """The network a channel's name says it is on (``instagram``, ``twitter`` -> ``x``), if any."""
    name = channel.lower()
    return ALIASES.get(name) or (name if name in BUILT_IN else None)


def limits_of(plan: Plan, channel: str) -> NetworkLimits | None:
    """The limits a channel's posts must keep: its network's, with the plan's overrides; None
    for a channel on no known network (a newsletter, a WhatsApp group)."""
    network = plan.channels[channel].network
    return plan.networks.get(network) or BUILT_IN[network] if network else None


def with_overrides(network: str, overrides: dict[str, int]) -> NetworkLimits:
    """A network's built-in limits with a plan's ``[networks.NAME]`` keys over them."""
    return BUILT_IN[network]._replace(**overrides)


# -- what a post publishes, and how it is counted ---------------------------------------------

_URL_TRAILING = ".,;:!?'\")]}"
# code points outside twitter-text config v3's "ranges" (0-4351, 8192-8205, 8208-8223, 8242-8247) weigh 2
_X_WIDE = re.compile("[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")


@lru_cache(maxsize=1)
def _text_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Links, hashtags and mentions; compiled when a post is first counted, not by every check's import."""
    return (
        re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE),
        re.compile(r"(?<![\w&#])[#＃](?!\d+(?!\w))\w+"),
        re.compile(r"(?<![\w@])@(\w+)(?:@[\w-]+(?:\.[\w-]+)+)?"),
    )


def published_text(post: Post, limits: NetworkLimits) -> str:
    """The text the network publishes: the body (the title too where the network has no title
    field, and only the title when there is no body), with the link unless the text has it.

    ``post`` is a post, or anything with its ``title``, ``body`` and ``link`` (the editor's form)."""
    text = post.body if limits.has_title else (post.body or post.title)
    if post.link and post.link not in text:
        text = f"{text}\n{post.link}" if text else post.link
    return text


def urls(text: str) -> list[str]:
    """The links in a text, as networks find them: from ``http(s)://`` or ``www.`` to the next
    space, less trailing punctuation (and a closing bracket the link did not open). A host with
    a label over 63 characters, written in punycode, is no host (RFC 1035), so no link."""
    return [text[start:end] for start, end in _link_spans(text)]


def _link_spans(text: str) -> list[tuple[int, int]]:
    """Where the links of :func:`urls` are; linear in the text, whatever it holds."""
    spans = []
    for match in _text_patterns()[0].finditer(text):
        start, end = match.span()
        unclosed = text.count("(", start, end) - text.count(")", start, end)
        while end > start and text[end - 1] in _URL_TRAILING:
            if text[end - 1] == ")":
                if unclosed >= 0:
                    break
                unclosed += 1
            end -= 1
        if _valid_host(text[start:end]):
            spans.append((start, end))
    return spans


def _valid_host(url: str) -> bool:
    host = re.split(r"[/?#:]", url.split("://", 1)[-1], maxsplit=1)[0]
    # punycode is never shorter than its label, so a long label is refused before it is encoded
    return all(len(label) <= 63 and len(label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")) <= 63 for label in host.split("."))


def hashtags(text: str) -> list[str]:
    """``#tags`` outside links; all-digit ones (``#1``) are no hashtag on any network."""
    return _text_patterns()[1].findall(_without_urls(text))


def mentions(text: str) -> list[str]:
    """``@name`` and ``@name@instance`` outside links and e-mail addresses."""
    return [match.group() for match in _text_patterns()[2].finditer(_without_urls(text))]


def _at_most(text: str, counting: str) -> int:
    """A bound ``length(text, counting)`` never passes, at the cost of ``len``: most posts are
    far under their limit, and counting graphemes costs a hundred times more."""
    links = 23 * (text.count("://") + text.lower().count("www.")) if counting in ("weighted", "mastodon") else 0
    factor = {"weighted": 2, "utf16": 2, "utf8": 4}.get(counting, 1)
    return factor * len(text) + links


def length(text: str, counting: str) -> int:
    """``text``'s length as a network that counts by ``counting`` sees it."""
    if counting == "characters":
        return len(text)
    if counting == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if counting == "utf8":
        return len(text.encode("utf-8"))
    if counting == "graphemes":
        return _graphemes(text)
    if counting == "mastodon":
        shortened = _without_urls(text, "x" * TWITTER_URL_LENGTH)
        return _graphemes(_text_patterns()[2].sub(lambda match: "@" + match.group(1), shortened))
    if counting == "weighted":
        return _weighted(text)
    raise ValueError(f"unknown counting {counting!r}")


def _without_urls(text: str, instead: str = " ") -> str:
    if not _may_hold_links(text):
        return text
    pieces, done = [], 0
    for start, end in _link_spans(text):
        pieces += [text[done:start], instead]
        done = end
    return "".join(pieces) + text[done:]


def _graphemes(text: str) -> int:
    if text.isascii():  # no ASCII pair but CR LF joins into one grapheme
        return len(text) - text.count("\r\n")
    return sum(1 for _ in _patterns()[0].finditer(text))


def _weighted(text: str) -> int:
    """X's weighted length (twitter-text v3): URLs 23, an emoji 2, other code points 1 or 2."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    links = 0
    if _may_hold_links(text):
        links = len(urls(text))
        text = _without_urls(text, "")
    if text.isascii():
        return len(text) + links * TWITTER_URL_LENGTH
    _, emoji = _patterns()
    # each code point 1, or 2 outside X's one-wide ranges; then each emoji sequence 2 in all
    weight = _x_weight(text)
    for sequence in emoji.findall(text):
        weight += 2 - _x_weight(sequence)
    return weight + links * TWITTER_URL_LENGTH


def _x_weight(text: str) -> int:
    return len(text) + len(_X_WIDE.findall(text))


def _may_hold_links(text: str) -> bool:
    return "://" in text or "www." in text or "WWW." in text.upper()


@lru_cache(maxsize=1)
def _patterns() -> Any:
    import regex  # only for the texts that need graphemes: see the module's docstring

    # an emoji as X counts it: a flag (two regional indicators), a keycap, or a pictograph with
    # its modifiers and variation selectors, joined by ZWJs to more (a family, a profession)
    emoji = r"\p{RI}\p{RI}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}\p{GCB=Extend}*(?:\u200D\p{Extended_Pictographic}\p{GCB=Extend}*)*"
    return regex.compile(r"\X"), regex.compile(emoji)


# -- a post against its network's limits ------------------------------------------------------


class Excess(NamedTuple):
    """One way a post breaks its network's limits, for a message: "320 characters, x takes 280"."""

    what: str  # "chars", "title", "hashtags" or "mentions"
    found: int
    limit: int

    def describe(self, limits: NetworkLimits) -> str:
        noun = {"chars": "character{}", "title": "character{} in the title", "hashtags": "hashtag{}", "mentions": "mention{}"}[self.what]
        noun = noun.format("" if self.found == 1 else "s")
        counted = f", counted as {limits.network} counts" if self.what == "chars" and limits.counting != "characters" else ""
        return f"{self.found:,} {noun}{counted}; {limits.network} takes at most {self.limit:,}"


def length_excess(post: Post, limits: NetworkLimits) -> list[Excess]:
    """The post's text (and title, where the network has one) over the network's length limits."""
    over = []
    text = published_text(post, limits)
    if _at_most(text, limits.counting) > limits.max_chars:  # else it fits without counting it
        found = length(text, limits.counting)
        if found > limits.max_chars:
            over.append(Excess("chars", found, limits.max_chars))
    if limits.max_title is not None and len(post.title) > limits.max_title:
        over.append(Excess("title", len(post.title), limits.max_title))
    return over


def tag_excess(post: Post, limits: NetworkLimits) -> list[Excess]:
    """Hashtags and mentions over what the network takes in one post."""
    over = []
    text = published_text(post, limits)
    if limits.has_title:
        text = f"{post.title}\n{text}"
    for what, limit, finder in (("hashtags", limits.max_hashtags, hashtags), ("mentions", limits.max_mentions, mentions)):
        if limit is not None and ("#" in text or "＃" in text or "@" in text):
            found = len(finder(text))
            if found > limit:
                over.append(Excess(what, found, limit))
    return over


def over_network_limits(plan: Plan, post: Post) -> str | None:
    """Why the post's network would refuse it ("281 characters, ...; x takes at most 280"), or None."""
    limits = limits_of(plan, post.channel)
    found = (length_excess(post, limits) + tag_excess(post, limits)) if limits else []
    return "; ".join(item.describe(limits) for item in found) or None
