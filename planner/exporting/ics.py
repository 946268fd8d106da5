"""The plan as an iCalendar file (RFC 5545) that Google Calendar, Outlook, Apple Calendar and
khal import or subscribe to.

One VEVENT per post. Its UID is made from the post's id and the plan's name, so it never
changes when the post moves or is retitled, and a subscribed calendar updates the event in
place. DTSTART carries the plan's zone (TZID) and the file holds that zone's VTIMEZONE, so
every client shows the post at its wall time across clock changes; a time that happens twice
(the night the clocks go back) is written in UTC instead, since clients disagree on which
of the two a zoned time means. DTSTAMP is the plan's
start at midnight UTC, not the clock: the same plan gives the same bytes, so the file can be
committed or served at a static URL. Escaping and line folding are icalendar's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from icalendar import Calendar, Event

from planner.localtime import local
from planner.model import Plan, Post

PRODID = "-//content-cadence//cadence export//EN"
DURATION = timedelta(minutes=15)  # a post is a moment, not a meeting: short, so it does not fill the day
STATUS = {  # the post's status -> the event's STATUS
    "idea": "TENTATIVE",
    "draft": "TENTATIVE",
    "review": "TENTATIVE",
    "approved": "CONFIRMED",
    "scheduled": "CONFIRMED",
    "published": "CONFIRMED",
    "skipped": "CANCELLED",
}


def plan_key(plan: Plan) -> str:
    """The plan's part of every UID: its name as a slug (renaming the plan renames the UIDs)."""
    return re.sub(r"[^a-z0-9]+", "-", plan.name.lower()).strip("-") or "plan"


def to_ics(plan: Plan, posts: Iterable[Post], slots: Iterable[tuple[str, int]] = ()) -> bytes:
    """The calendar of ``posts`` and, as transparent events, the open ``slots`` (channel, instant)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", plan.name)
    calendar.add("x-wr-timezone", plan.timezone)
    stamp = datetime(plan.start.year, plan.start.month, plan.start.day, tzinfo=timezone.utc)
    days: list[date] = []
    for post in posts:
        calendar.add_component(_post_event(plan, post, stamp))
        days.append(post.day)
    for channel, ts in sorted(slots, key=lambda slot: (slot[1], slot[0])):
        start = local(ts, plan.tz)
        calendar.add_component(_slot_event(plan, channel, start, _end(ts, plan), stamp))
        days.append(start.date())
    if days:
        calendar.add_missing_timezones(date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1))
    return calendar.to_ical()


def _post_event(plan: Plan, post: Post, stamp: datetime) -> Event:
    channel = plan.channels[post.channel]
    kind = plan.kinds[post.kind]
    event = Event()
    event.add("uid", f"{post.id}.{plan_key(plan)}@content-cadence")
    event.add("dtstamp", stamp)
    event.add("dtstart", _unambiguous(post.at))
    event.add("dtend", _unambiguous(_end(post.ts, plan)))
    event.add("summary", f"[{channel.mark}] {post.title}")
    details = [f"Kind: {kind.label}", f"Channel: {channel.label}", f"Status: {post.status}"]
    details += [f"Owner: {owner}"] if (owner := post.owner or channel.owner) else []
    details += [f"Link: {post.link}"] if post.link else []
    details += ["", post.body] if post.body else []
    event.add("description", "\n".join(details))
    event.add("categories", [post.kind, post.channel])
    if post.link:
        event.add("url", post.link)
    event.add("status", STATUS[post.status])
    return event


def _unambiguous(wall: datetime) -> datetime:
    """The time with its zone, or in UTC when that wall time happens twice (the night clocks go back).

    RFC 5545 says such a time means its first occurrence, but clients differ (khal takes the
    second), so those few events get an instant that no client can misread.
    """
    if wall.replace(fold=1 - wall.fold).utcoffset() != wall.utcoffset():
        return wall.astimezone(timezone.utc)
    return wall


def _end(ts: int, plan: Plan) -> datetime:
    """DURATION after an instant, on the wall clock (aware arithmetic would ignore a clock change)."""
    return local(ts + int(DURATION.total_seconds()), plan.tz)


def _slot_event(plan: Plan, channel_name: str, start: datetime, end: datetime, stamp: datetime) -> Event:
    """An open cadence slot: shown in the calendar, but transparent (it blocks no time)."""
    channel = plan.channels[channel_name]
    event = Event()
    event.add("uid", f"slot-{channel_name}-{start:%Y%m%dT%H%M}.{plan_key(plan)}@content-cadence")
    event.add("dtstamp", stamp)
    event.add("dtstart", _unambiguous(start))
    event.add("dtend", _unambiguous(end))
    event.add("summary", f"[{channel.mark}] open slot")
    event.add("description", f"No post fills this {channel.label} slot yet; `cadence suggest` proposes backlog ideas.")
    event.add("categories", ["open-slot", channel_name])
    event.add("transp", "TRANSPARENT")
    event.add("status", "TENTATIVE")
    return event
