"""The plan as an iCalendar file (RFC 5545) that Google Calendar, Outlook, Apple Calendar and
khal import or subscribe to.

One VEVENT per post, and an all-day one per holiday and blackout. A post's UID is made from the post's id and the plan's name, so it never
changes when the post moves or is retitled, and a subscribed calendar updates the event in
place. DTSTART carries the plan's zone (TZID) and the file holds that zone's VTIMEZONE, so
every client shows the post at its wall time across clock changes; a time that happens twice
(the night the clocks go back) is written in UTC instead, since clients disagree on which of
the two a zoned time means. DTSTAMP is the plan's start at midnight UTC, not the clock: the
same plan gives the same bytes, so the file can be committed or served at a static URL.

The VTIMEZONE comes from the icalendar library, one RDATE a line (:func:`vtimezone`). The
calendar's properties and the events are written here, every piece of plan text through
:func:`text_line`, which escapes and folds it per RFC 5545 (sections 3.3.11 and 3.1): icalendar spends about 2.5 ms on each event, 25 s for a
10,000-post plan, where the budget is twice a `cadence check`. A plan can come from anyone who
opens a pull request, so no line break in its text reaches the file raw (a bare CR would start a
new property, or a whole VEVENT, in vobject), a control character becomes U+FFFD (TEXT has no
place for one, and khal would print it to the terminal), and a link becomes the URL only when it
is http, https or mailto. Tests read the output back with icalendar, vobject and khal.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from icalendar import Timezone

from planner.days_off import DayOff
from planner.exporting import happens_twice
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
LINE_OCTETS = 75  # RFC 5545 3.1: longer lines are folded
# Escaped per 3.3.11; a control character (C0 but tab, DEL, C1) has no place in TEXT: U+FFFD
_TEXT_SPECIALS = re.compile(r"[\\;,\n]|\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r\n": "\\n", "\r": "\\n"}
REPLACEMENT = "\ufffd"
_LINK = re.compile(r"(?i:https?://|mailto:)[^\s\"<>\\^`{|}\x00-\x1f\x7f-\x9f]+")  # a URL a calendar may open


def plan_key(plan: Plan) -> str:
    """The plan's part of every UID: its name as a slug (renaming the plan renames the UIDs)."""
    return re.sub(r"[^a-z0-9]+", "-", plan.name.lower()).strip("-") or "plan"


def to_ics(plan: Plan, posts: Iterable[Post], slots: Iterable[tuple[str, int]] = (), days_off: Iterable[DayOff] = ()) -> bytes:
    """The calendar of ``posts`` and, as transparent events, the open ``slots`` (channel, instant)
    and the ``days_off`` (all-day)."""
    writer = _EventWriter(plan)
    events = [writer.post(post) for post in posts]
    events += [writer.slot(channel, ts) for channel, ts in sorted(slots, key=lambda slot: (slot[1], slot[0]))]
    events += [writer.day_off(day_off) for day_off in days_off]
    head = [
        "BEGIN:VCALENDAR\r\n", content_line("VERSION", "2.0"), text_line("PRODID", PRODID), content_line("CALSCALE", "GREGORIAN"),
        text_line("X-WR-CALNAME", plan.name), text_line("X-WR-TIMEZONE", plan.timezone),
    ]
    if writer.days:
        first, last = min(writer.days), max(writer.days)
        head.append(vtimezone(plan.timezone, first.year, last.year))
    return "".join([*head, *events, "END:VCALENDAR\r\n"]).encode("utf-8")


def vtimezone(name: str, first_year: int, last_year: int) -> str:
    """The zone's VTIMEZONE for the years ``first_year..last_year``, one RDATE per line.

    icalendar writes each kind of change after the first as one comma-separated RDATE list;
    vobject (dateutil) then reads a plan of three years or more an hour wrong from the third
    year on. One RDATE property per date says the same and every client reads it.
    """
    zone = Timezone.from_tzid(name, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1))
    for change in zone.subcomponents:
        if "RDATE" in change:
            for each in change.pop("RDATE").dts:
                change.add("RDATE", each.dt)
    return zone.to_ical().decode("utf-8")


class _EventWriter:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.key = plan_key(plan)
        self.stamp = f"{plan.start:%Y%m%d}T000000Z"
        self.days: list[date] = []
        self.seen: Counter[tuple[str, date, date]] = Counter()  # days off by their days, for unique UIDs

    def post(self, post: Post) -> str:
        plan = self.plan
        channel = plan.channels[post.channel]
        owner = post.owner or channel.owner
        details = [f"Kind: {plan.kinds[post.kind].label}", f"Channel: {channel.label}", f"Status: {post.status}"]
        details += [f"Owner: {owner}"] if owner else []
        details += [f"Link: {post.link}"] if post.link else []
        details += ["", post.body] if post.body else []
        lines = [
            text_line("UID", f"{post.id}.{self.key}@content-cadence"),
            *self._times(post.ts),
            text_line("SUMMARY", f"[{channel.mark}] {post.title}"),
            text_line("DESCRIPTION", "\n".join(details)),
            text_line("CATEGORIES", post.kind, post.channel),
        ]
        if post.link and _LINK.fullmatch(post.link):
            lines.append(content_line("URL", post.link))
        lines.append(content_line("STATUS", STATUS[post.status]))
        return _event(lines)

    def slot(self, channel_name: str, ts: int) -> str:
        """An open cadence slot: shown in the calendar, but transparent (it blocks no time)."""
        channel = self.plan.channels[channel_name]
        lines = [
            text_line("UID", f"slot-{channel_name}-{local(ts, self.plan.tz):%Y%m%dT%H%M}.{self.key}@content-cadence"),
            *self._times(ts),
            text_line("SUMMARY", f"[{channel.mark}] open slot"),
            text_line("DESCRIPTION", f"No post fills this {channel.label} slot yet; `cadence suggest` proposes backlog ideas."),
            text_line("CATEGORIES", "open-slot", channel_name),
            content_line("TRANSP", "TRANSPARENT"),
            content_line("STATUS", "TENTATIVE"),
        ]
        return _event(lines)

    def day_off(self, day_off: DayOff) -> str:
        """A holiday or a blackout: all-day events from its first day to the day after its last
        (DTEND is exclusive), transparent. A blackout's UID is its days, so it stays as its reason is reworded."""
        self.seen[day_off.what, day_off.first, day_off.last] += 1
        repeat = self.seen[day_off.what, day_off.first, day_off.last]
        uid = f"{day_off.what}-{day_off.first:%Y%m%d}-{day_off.last:%Y%m%d}" + (f"-{repeat}" if repeat > 1 else "")
        details = [f"Channels: {', '.join(day_off.channels)}"] if day_off.channels else []
        details += [f"Kinds: {', '.join(day_off.kinds)}"] if day_off.kinds else []
        lines = [
            text_line("UID", f"{uid}.{self.key}@content-cadence"),
            content_line("DTSTAMP", self.stamp),
            content_line("DTSTART;VALUE=DATE", f"{day_off.first:%Y%m%d}"),
            content_line("DTEND;VALUE=DATE", f"{day_off.last + timedelta(days=1):%Y%m%d}"),
            text_line("SUMMARY", f"{day_off.what.capitalize()}: {day_off.name}"),
            *([text_line("DESCRIPTION", "\n".join(details))] if details else []),
            text_line("CATEGORIES", day_off.what),
            content_line("TRANSP", "TRANSPARENT"),
        ]
        return _event(lines)

    def _times(self, ts: int) -> list[str]:
        start, end = local(ts, self.plan.tz), local(ts + int(DURATION.total_seconds()), self.plan.tz)
        self.days.append(start.date())
        return [content_line("DTSTAMP", self.stamp), self._time("DTSTART", start), self._time("DTEND", end)]

    def _time(self, name: str, wall: datetime) -> str:
        """The time with its zone, or in UTC when that wall time happens twice (the night clocks go back).

        RFC 5545 says such a time means its first occurrence, but clients differ (khal takes
        the second), so those few events get an instant that no client can misread.
        """
        if happens_twice(wall):
            return content_line(name, f"{wall.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}")
        return content_line(f"{name};TZID={self.plan.timezone}", f"{wall:%Y%m%dT%H%M%S}")


def text_line(name: str, *values: str) -> str:
    """A TEXT property, the one way plan text enters the file: each value escaped (several make
    a list, as in CATEGORIES), the line folded."""
    return content_line(name, ",".join(map(text, values)))


def content_line(name: str, value: str) -> str:
    """``NAME:value`` folded, with its CRLF. ``value`` is ours (a date, a status, a checked URL)
    or escaped by :func:`text_line`."""
    return fold(f"{name}:{value}") + "\r\n"


def text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11: backslash, semicolon, comma and line breaks
    (LF, CRLF or a bare CR: each one ``\\n``); a control character becomes U+FFFD."""
    return _TEXT_SPECIALS.sub(lambda match: _ESCAPES.get(match.group(), REPLACEMENT), value)


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.

    Shown in a CI log, a line is a workflow command for GitHub Actions when it holds ``##[`` or
    starts with ``::`` after spaces, so no physical line may: the fold goes between ``##`` and
    ``[``, and never just before ``::`` (a client unfolds the text back as it was).
    """
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS and b"##[" not in data:
        return line
    parts, start, limit = [], 0, LINE_OCTETS
    while start < len(data):
        end = min(start + limit, len(data))
        if (command := data.find(b"##[", start, end)) >= 0:
            end = command + 2
        fits = end
        while end < len(data) and not _fold_point(data, end):
            end -= 1
        if end <= start:  # a run of colons longer than a line: the line grows instead (a SHOULD of the RFC)
            end = fits
            while end < len(data) and not _fold_point(data, end):
                end += 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, LINE_OCTETS - 1  # a folded line starts with a space
    return "\r\n ".join(parts)


def _fold_point(data: bytes, at: int) -> bool:
    """Whether a line may be folded before byte ``at``: not inside a character, not before ``::``."""
    return data[at] & 0xC0 != 0x80 and not data.startswith(b"::", at)


def _event(lines: list[str]) -> str:
    return f"BEGIN:VEVENT\r\n{''.join(lines)}END:VEVENT\r\n"
