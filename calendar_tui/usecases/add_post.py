"""Add to the queue: a new post in its channel's next free slot that keeps the plan clean.

The next free slot is the first open cadence slot of the channel from today on (CAD001's
gaps, so never a slot the channel skips on a holiday or one a blackout takes away) where the
post adds no finding to the plan: compared by each finding's code and key, as a baseline is.
A slot in a blackout of the post's kind (PLN006), one that would crowd the day (CAD002) or
tip the mix (MIX001..MIX004), or one too soon for a draft (PUB001) is passed over. With ``at``
the post goes where it is told, and the findings it adds are returned, not refused.
The post is written through the plan writer (the file stays formatted) and the written plan
is read back before the save: a post the loader would refuse is never written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, datetime

from balance.diagnostic import Diagnostic
from balance.engine import CheckOptions, context_for, run
from calendar_tui.usecases.plans import plan_of
from planner.loader import read_plan_file
from planner.localtime import clock_of
from planner.model import STATUSES, Plan, Post
from planner.writer import PlanText, new_post_id

MAX_TRIED = 60  # open slots tried, each with a whole check, before giving up on the queue


class AddError(Exception):
    """Why the post cannot be added; nothing was written."""


@dataclass(frozen=True)
class NewPost:
    channel: str
    kind: str
    title: str
    body: str | None = None
    link: str | None = None
    owner: str | None = None
    status: str = "draft"
    at: datetime | None = None  # a naive wall time of the plan's zone: placed by hand; None: the next free slot


@dataclass(frozen=True)
class AddedPost:
    post_id: str
    channel: str
    at: datetime  # the local time it went to
    by_hand: bool
    new_findings: tuple[Diagnostic, ...] = ()  # those a post placed by hand brings (a queued one brings none)


def add_post(path: str, new: NewPost, today: date | None = None, write: bool = True) -> AddedPost:
    """Add ``new`` to the plan at ``path``, queued from ``today`` (default: the date now in the
    plan's zone); :class:`AddError` (or the loader's ``PlanError``, or a save's ``SaveError``)
    when it cannot be, with the plan unchanged. ``write`` False: only say where it would go."""
    plan_file = read_plan_file(path)
    plan = plan_of(plan_file.text, path)
    now = None if today else int(time.time())  # on the real today, a slot already past is no free slot
    today = today or datetime.now(plan.tz).date()
    _check_request(plan, new)
    fields = {
        "channel": new.channel, "kind": new.kind, "title": new.title, "body": new.body, "status": new.status,
        "owner": new.owner, "link": new.link,
    }
    before = _finding_keys(run(plan, CheckOptions(suggestions=False), today))
    if new.at is not None:
        post = _post(plan, fields, new.at)
        added = _new(_check_with(plan, post, today), before)
    else:
        post, added = _next_free(plan, fields, before, today, now), ()
    written = {"id": post.id, "at": post.at.replace(tzinfo=None), **{key: value for key, value in fields.items() if value is not None}}

    def with_post(text: str) -> str:
        edited = PlanText(text).add_posts([written])
        plan_of(edited, path)  # read back: a post the loader refuses is never saved
        return edited

    if write:
        plan_file.update(with_post)
    else:
        with_post(plan_file.text)
    return AddedPost(post.id, new.channel, post.at, new.at is not None, added)


def _check_request(plan: Plan, new: NewPost) -> None:
    from planner.errors import did_you_mean

    def unknown(what: str, name: str, known) -> AddError:
        listing = ", ".join(sorted(known)) or "none"
        return AddError(f"unknown {what} {name!r}{did_you_mean(name, known)} (known: {listing})")

    if new.channel not in plan.channels:
        raise unknown("channel", new.channel, plan.channels)
    if new.kind not in plan.kinds:
        raise unknown("kind", new.kind, plan.kinds)
    if new.owner is not None and plan.team and new.owner not in plan.team:
        raise unknown("team member", new.owner, plan.team)
    if new.status not in STATUSES:
        raise unknown("status", new.status, STATUSES)
    if not new.title.strip():
        raise AddError("the title must not be empty")


def _post(plan: Plan, fields: dict, wall: datetime) -> Post:
    """The new post at the naive wall time ``wall``, read by the plan's daylight-saving rule, with
    the id it gets there."""
    ts, local = clock_of(plan.tz).read(wall)
    taken = {post.id for post in plan.posts} | {idea.id for idea in plan.backlog}
    post_id = new_post_id(plan.channels[fields["channel"]].mark, local.replace(tzinfo=None), fields["title"], taken)
    present = {key: value for key, value in fields.items() if value is not None}
    return Post(index=len(plan.posts), id=post_id, at=local, ts=ts, day=local.date(), **present)


def _check_with(plan: Plan, post: Post, today: date) -> list[Diagnostic]:
    # without its source: the new post has no line yet, and every finding is compared by its key
    return run(replace(plan, posts=(*plan.posts, post), source=None), CheckOptions(suggestions=False), today)


def _next_free(plan: Plan, fields: dict, before: set[tuple[str, str]], today: date, now: int | None) -> Post:
    channel = fields["channel"]
    if not plan.channels[channel].cadence:
        raise AddError(f"{channel} has no cadence, so no slots to queue into; place the post with --at")
    gaps = context_for(plan, CheckOptions(first=max(today, plan.start), suggestions=False), today).gaps.get(channel, [])
    gaps = [ts for ts in gaps if now is None or ts >= now]
    first_refusal: tuple[Post, tuple[Diagnostic, ...]] | None = None
    for ts in gaps[:MAX_TRIED]:
        post = _post(plan, fields, datetime.fromtimestamp(ts, plan.tz).replace(tzinfo=None))
        added = _new(_check_with(plan, post, today), before)
        if not added:
            return post
        first_refusal = first_refusal or (post, added)
    if first_refusal is None:
        raise AddError(f"{channel} has no open slot from {max(today, plan.start)} to the plan's end {plan.end}; place the post with --at")
    post, added = first_refusal
    tried = min(len(gaps), MAX_TRIED)
    reasons = "; ".join(f"{d.code} {d.message}" for d in added[:3])
    raise AddError(
        f"none of {channel}'s next {tried} open slots takes the post without a new finding; at the first, "
        f"{post.at:%a %Y-%m-%d %H:%M}: {reasons}; place it with --at, or change what the findings name"
    )


def _finding_keys(diagnostics: list[Diagnostic]) -> set[tuple[str, str]]:
    return {(d.code, d.key) for d in diagnostics}


def _new(diagnostics: list[Diagnostic], before: set[tuple[str, str]]) -> tuple[Diagnostic, ...]:
    """The findings that are not among ``before`` (by code and key)."""
    return tuple(d for d in diagnostics if (d.code, d.key) not in before)
