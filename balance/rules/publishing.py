"""Publishing rules (PUB): each post ready, approved, owned, linked, on-voice and not a repeat."""

from __future__ import annotations

import math
from collections import Counter, deque
from datetime import timedelta
from itertools import chain
from operator import itemgetter
from typing import Iterable, Iterator

from balance.context import Context, when
from balance.diagnostic import Finding
from balance.rule import Option, rule
from balance.text import counted, fold, similarity, term_finder, words
from planner.durations import format_duration
from planner.model import Post
from planner.networks import CHECKED, BUILT_IN, length_excess, limits_of, tag_excess

NOT_READY = ("idea", "draft")
DONE = ("published", "skipped")


@rule(
    "PUB001",
    "not-ready",
    "warning",
    options=(Option("due_soon", "duration", "3d", "how close to its day a post must be ready"),),
    uses_today=True,
)
def not_ready(ctx: Context) -> Iterator[Finding]:
    """A post due within ``due_soon`` of today is still an idea or a draft.

    Why: a plan that is never executed is only a wish list; a post due in two days needs
    its text and picture now, or it will be skipped or rushed.

    "Today" is ``--today``, ``CADENCE_TODAY`` or the date in the plan's time zone; a post is
    due within ``due_soon`` when its local day is today or up to that many days later.

    Example::

        # today 2027-01-05, a draft on 2027-01-07 ->
        # PUB001 'ig-latte' is still a draft and due Thu 2027-01-07 10:00 (in 2 days)

    Options: ``[rules] due_soon`` (default "3d").
    """
    horizon = ctx.today + timedelta(days=ctx.settings["due_soon"].days)
    for post in ctx.posts:
        if post.status in NOT_READY and ctx.today <= post.day <= horizon:
            days = (post.day - ctx.today).days
            due = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
            article = "an" if post.status == "idea" else "a"
            yield Finding.about(post, f"{post.id!r} is still {article} {post.status} and due {when(post.at)} ({due})", "status")


@rule("PUB002", "missing-approval", "error")
def missing_approval(ctx: Context) -> Iterator[Finding]:
    """A post's kind needs approval by a role, and no one holding that role approved it.

    Why: promotions, prices and claims need legal, PR or HR to look first; a post that
    skips them can cost far more than a late post.

    An approver counts for a role when ``[team.NAME] roles`` lists it.

    Example::

        [kinds.promo]
        needs_approval = ["legal"]
        # a promo with approved_by = ["rina"], and rina is not legal ->
        # PUB002 'ig-sale' needs approval by legal (approved by: rina)

    Options: per kind, ``needs_approval``; per post, ``approved_by``; ``[team]`` roles.
    """
    team = ctx.plan.team
    for post in ctx.posts:
        needed = ctx.plan.kinds[post.kind].needs_approval
        if not needed or post.status in DONE:
            continue
        held = {role for name in post.approved_by for role in team.get(name, ())}
        missing = [role for role in needed if role not in held]
        if missing:
            by = ", ".join(post.approved_by) or "no one"
            holders = sorted(name for name, roles in team.items() if set(missing) & set(roles))
            hint = f"; ask {', '.join(holders)}" if holders else f"; no one in [team] holds {', '.join(missing)}"
            yield Finding.about(post, f"{post.id!r} needs approval by {', '.join(missing)} (approved by: {by}){hint}", "approved_by")


@rule("PUB003", "no-owner", "warning")
def no_owner(ctx: Context) -> Iterator[Finding]:
    """A channel has no owner, or a post has no owner and its channel none either.

    Why: an account everyone looks after is an account no one looks after; each channel
    needs a dedicated person who answers for it.

    A post without ``owner`` belongs to its channel's owner, so only channels without an
    owner are reported, with the count of their posts that name none.

    Example::

        [channels.tiktok]
        # no owner ->
        # PUB003 channel tiktok has no owner (3 of its posts name none)

    Options: per channel and per post, ``owner``.
    """
    for name, channel in ctx.plan.channels.items():
        if channel.owner:
            continue
        unowned = [post for post in ctx.by_channel[name] if not post.owner]
        tail = f" ({len(unowned)} of its posts name none)" if unowned else ""
        yield Finding(
            message=f"channel {name} has no owner{tail}",
            where=("channels", name),
            key=name,
            channel=name,
            post_ids=tuple(post.id for post in unowned),
        )


@rule("PUB004", "missing-link", "error")
def missing_link(ctx: Context) -> Iterator[Finding]:
    """A post of a kind that ``needs_link`` has no ``link``.

    Why: social posts should bring people back to the site or blog, where they can buy,
    sign up or read more; a promotion without a link wastes the attention it gets.

    Example::

        [kinds.promo]
        needs_link = true
        # PUB004 'ig-sale' is a promo and needs a link

    Options: per kind, ``needs_link``; per post, ``link``.
    """
    for post in ctx.posts:
        if ctx.plan.kinds[post.kind].needs_link and not (post.link or "").strip():
            yield Finding.about(post, f"{post.id!r} is a {post.kind} and needs a link")


@rule("PUB005", "banned-term", "error")
def banned_term(ctx: Context) -> Iterator[Finding]:
    """A post's title or body uses a term from ``[voice] banned``.

    Why: no bashing competitors, no extreme claims ("the cheapest", "guaranteed"), nothing
    the brand would regret; a list checked before publishing catches what tired eyes miss.

    Terms match whole words, ignoring case and accents, in any language: "termurah" matches
    "TERMURAH" and "térmurah" but not "termurahnya". A term may be several words.

    Example::

        [voice]
        banned = ["termurah", "competitor-x"]
        # PUB005 'ig-promo' uses the banned term "termurah" in its title

    Options: ``[voice] banned``.
    """
    find = term_finder(ctx.plan.banned)
    if find is None:
        return
    for post in ctx.posts:
        for part, text in (("title", post.title), ("body", post.body)):
            found = find(fold(text)) if text else None
            if found:
                message = f"{post.id!r} uses the banned term \"{found.group()}\" in its {part}"
                yield Finding.about(post, message, part, key=f"{post.id}:{part}")


@rule("PUB006", "stale", "warning", uses_today=True)
def stale(ctx: Context) -> Iterator[Finding]:
    """A post whose day has passed is neither published nor skipped.

    Why: the plan must say what actually went out; a past post still "scheduled" hides
    whether it was published, and the outcomes cannot be compared with the plan.

    Example::

        # today 2027-01-10, a post of 2027-01-06 still "scheduled" ->
        # PUB006 'ig-latte' was due Wed 2027-01-06 10:00 and is still scheduled; mark it published or skipped

    Options: none (``--today`` sets the day).
    """
    for post in ctx.plan.posts:
        if ctx.first <= post.day < ctx.today and post.day <= ctx.last and post.status not in DONE:
            yield Finding.about(post, f"{post.id!r} was due {when(post.at)} and is still {post.status}; mark it published or skipped", "status")


@rule(
    "PUB007",
    "repeat",
    "warning",
    options=(
        Option("repeat_window", "duration", "14d", "how far apart the same text may appear on a channel"),
        Option("repeat_similarity", "number", 0.8, "share of words two texts have in common to count as a repeat"),
    ),
)
def repeat(ctx: Context) -> Iterator[Finding]:
    """The same or nearly the same text appears twice on a channel within ``repeat_window``.

    Why: platforms flag duplicate posts as spam, and followers notice when they read the
    same thing twice; vary the wording or wait longer.

    "Nearly the same" is measured on the title and body together, with accents, case and
    punctuation folded away: the Jaccard similarity of their word sets (shared words over
    all words) is at least ``repeat_similarity`` (default 0.8). Each post is compared only
    with the posts of its channel in the window before it, so the cost stays linear.

    Example::

        # "Latte art in 3 steps" on 2027-01-04 and "Latte art in 3 steps!" on 2027-01-11 ->
        # PUB007 'ig-latte-2' repeats 'ig-latte' (Mon 2027-01-04 10:00) on instagram: 100% the same words

    Options: ``[rules] repeat_window`` (default "14d"), ``repeat_similarity`` (0.8).
    """
    window = ctx.settings["repeat_window"].total_seconds()
    threshold = ctx.settings["repeat_similarity"]
    for channel, posts in ctx.by_channel.items():
        # a channel's word sets at a time: a plan's all at once would double a check's memory
        texts = {post.id: frozenset(words(f"{post.title} {post.body}")) for post in posts}
        for earlier, post, score in similar_pairs(posts, texts, window, threshold, *rarest_first(texts.values())):
            yield Finding.about_pair(
                earlier,
                post,
                f"{post.id!r} repeats {earlier.id!r} ({when(earlier.at)}) on {channel}: "
                f"{score:.0%} the same words, within repeat_window {format_duration(ctx.settings['repeat_window'])}",
            )


@rule("PUB008", "kind-not-on-channel", "error")
def kind_not_on_channel(ctx: Context) -> Iterator[Finding]:
    """A post's kind is not among the kinds its channel may carry.

    Why: each account has its purpose; a personal post on the brand account, or a hard
    promotion on the community group, confuses followers and can embarrass the brand.

    A channel without ``kinds`` carries any kind.

    Example::

        [channels.instagram]
        kinds = ["tip", "promo", "question"]
        # a "personal" post on instagram ->
        # PUB008 'ig-weekend' is a personal post, and instagram carries only tip, promo, question

    Options: per channel, ``kinds``.
    """
    for post in ctx.posts:
        allowed = ctx.plan.channels[post.channel].kinds
        if allowed and post.kind not in allowed:
            message = f"{post.id!r} is a {post.kind} post, and {post.channel} carries only {', '.join(allowed)}"
            yield Finding.about(post, message, "kind")


def rarest_first(texts: Iterable[frozenset[str]]) -> tuple[dict[str, int], int]:
    """Each word's place in one order of the words of ``texts``, rarest first, and how many of
    them are in one text only (the first places)."""
    frequency = Counter(chain.from_iterable(texts))  # ties keep the order words were first seen in
    rank = {word: place for place, (word, _) in enumerate(sorted(frequency.items(), key=itemgetter(1)))}
    return rank, sum(count == 1 for count in frequency.values())


def similar_pairs(
    posts: list[Post], texts: dict[str, frozenset[str]], window: float, threshold: float, rank: dict[str, int], unshared: int
) -> Iterator[tuple[Post, Post, float]]:
    """(earlier, later, similarity) for each post and its most similar earlier post in the window.

    Of equally similar earlier posts, the latest. Prefix filtering keeps this near-linear:
    with words in one order (``rank``, rarest first), two word sets with Jaccard similarity
    of at least t must share one of the first |A| - ceil(t·|A|) + 1 words of each. Only
    posts sharing such a word are compared; the words of one post only (the first ``unshared``
    places, a post's number say) are passed over.
    """
    by_word: dict[int, deque[tuple[int, Post]]] = {}  # prefix word -> recent posts, oldest first
    prefix_length = [size - math.ceil(threshold * size) + 1 for size in range(max(map(len, texts.values()), default=0) + 1)]
    for order, post in enumerate(posts):
        text = texts[post.id]
        if not text:
            continue  # a post without words repeats nothing
        prefix = sorted(map(rank.__getitem__, text))[: prefix_length[len(text)]]
        candidates: dict[int, Post] = {}
        oldest = post.ts - window
        entry = (order, post)
        for word in prefix:
            if word < unshared:
                continue
            recent = by_word.get(word)
            if recent is None:
                by_word[word] = deque((entry,))  # no post before this one has the word
                continue
            while recent and recent[0][1].ts < oldest:
                recent.popleft()
            candidates.update(recent)
            recent.append(entry)  # after update: a post is no candidate of itself
        if candidates:
            score, _, earlier = max((similarity(text, texts[earlier.id]), place, earlier) for place, earlier in candidates.items())
            if score >= threshold:
                yield earlier, post, score


def _network_sources() -> str:
    return "\n".join(
        f"    - {name}: {limits.max_chars:,} ({limits.counting})"
        + (f", title {limits.max_title}" if limits.max_title else "")
        + (f", {counted(limits.max_hashtags, 'hashtag')}" if limits.max_hashtags is not None else "")
        + (f", {counted(limits.max_mentions, 'mention')}" if limits.max_mentions is not None else "")
        + f"; {limits.source}"
        for name, limits in BUILT_IN.items()
    )


def _over_network_limits(ctx: Context, excess) -> Iterator[Finding]:
    """Each post not yet out whose text breaks its channel's network limits, as ``excess`` finds them."""
    networks = {name: limits_of(ctx.plan, name) for name in ctx.plan.channels}
    for post in ctx.posts:
        limits = networks[post.channel]
        if limits is None or post.status in DONE:
            continue
        if found := excess(post, limits):
            field = "title" if found[0].what == "title" else "body" if post.body else "title"
            reasons = "; ".join(item.describe(limits) for item in found)
            yield Finding.about(post, f"{post.id!r} on {post.channel}: {reasons}", field)


@rule("PUB009", "too-long-for-network", "error")
def too_long_for_network(ctx: Context) -> Iterator[Finding]:
    """A post is longer than its channel's network takes, counted as that network counts.

    Why: a post that fails at publish time was never ready; a scheduler that takes it as a
    draft and refuses it at the hour (Postiz #1882) leaves a gap no one sees coming.

    The text is what a scheduler publishes: the body (else the title) and the link. YouTube
    and Pinterest have a title apart from the text, checked against its own limit. X counts
    its weighted length (a link 23, an emoji 2, CJK 2), Bluesky graphemes, Mastodon
    graphemes with a link as 23 and ``@user@instance`` as ``@user``, TikTok UTF-16 units.
    A channel's network is its ``network`` key, else its name when that names one
    (``twitter`` is ``x``); a channel on no network is not checked.

    Example::

        [channels.x]
        # a 300-character post ->
        # PUB009 'x-launch' on x: 300 characters, counted as x counts; x takes at most 280

    Options: per channel, ``network``; per plan, ``[networks.NAME] max_chars`` and
    ``max_title``. The built-in limits, from the vendors' docs, checked on CHECKED:

NETWORKS
    """
    return _over_network_limits(ctx, length_excess)


@rule("PUB010", "too-many-tags", "error")
def too_many_tags(ctx: Context) -> Iterator[Finding]:
    """A post has more hashtags or mentions than its channel's network takes in one post.

    Why: Instagram refuses a caption with more than 5 hashtags (30 before December 2025) or
    20 mentions, Threads takes one topic tag, YouTube ignores every hashtag of a video with
    over 60: the post fails, or goes out without what it was tagged for.

    Hashtags are ``#word`` (not all digits) outside links; mentions ``@name`` or
    ``@name@instance``, not e-mail addresses. Networks without a limit are not checked.

    Example::

        [channels.instagram]
        # a caption with 7 hashtags ->
        # PUB010 'ig-promo' on instagram: 7 hashtags; instagram takes at most 5

    Options: per plan, ``[networks.NAME] max_hashtags`` and ``max_mentions`` (0 allows none).
    """
    return _over_network_limits(ctx, tag_excess)


too_long_for_network.check.__doc__ = too_long_for_network.check.__doc__.replace("CHECKED", CHECKED).replace("NETWORKS", _network_sources())
