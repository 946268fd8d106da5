"""The plan as a static calendar site (``cadence export --to html``): an overview page and a page
per month of the horizon, each with a month, a week and a list view, the findings on their day
and in a list (linked both ways), and, when outcomes are recorded, what went out and the
report's figures. For clients and approvers who never open a terminal.

Every page is self-contained: inline CSS and one inline script (filters and views), no request
to anywhere, pinned by a Content-Security-Policy that allows only that CSS and that script. The
same plan, store and day give the same bytes. All plan text goes through :func:`html_text`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from calendar import month_name
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from balance.capacity import iso_week, monday, owner_of
from balance.diagnostic import Diagnostic
from balance.engine import CheckOptions, context_for, run_in
from balance.goals import is_overdue, is_published
from balance.report import Report, build_report
from balance.report_render import COUNTS, figure, followers_line, goal_line, mix_line
from balance.text import counted, html_text
from planner.model import STATUSES, Plan, Post
from planner.outcomes import Outcomes

# Kinds without a colour of their own take these in turn: distinct on white and on near-black.
PALETTE = ("#3f7cc4", "#c2672b", "#3d9a5b", "#8e5ac8", "#c0417a", "#2a9aa0", "#9a8a2a", "#6b7787")
# A kind's own colour is used only when it is a colour and nothing else: a plan is hostile input.
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|[a-zA-Z]{3,20}")
FILTERS = ("channel", "kind", "owner", "status")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The names every post repeats (channel, kind, owner, status, approvers), escaped once each.
_name = functools.lru_cache(maxsize=4096)(html_text)


@dataclass(frozen=True)
class Page:
    name: str  # the file name in the site's folder
    text: str


@dataclass(frozen=True)
class _Entry:
    """A post and what the site says about it; the text each of its three views shows, escaped once."""

    post: Post
    owner: str
    published: bool
    missed: bool
    findings: list[int]  # numbers of its findings
    attributes: str  # its class and the values the filters read
    title: str
    time: str  # local, HH:MM


@dataclass(frozen=True)
class _Site:
    plan: Plan
    today: date
    first: date
    last: date
    recorded: bool  # an outcomes store holds records of the plan
    entries: dict[date, list[_Entry]]
    slots: dict[date, list[tuple[int, str]]]  # open cadence slots per day: (instant, channel)
    findings: list[Diagnostic]
    days: dict[str, date]  # each post's day, by id: where a link to it goes
    months: list[date]  # the first day of each month of the range
    channels: dict[str, tuple[str, str]]  # each channel's label and mark, escaped
    head: str  # the <meta> and <style> every page shares
    controls: str  # the view buttons and the filters


def build_site(plan: Plan, outcomes: Outcomes | None, today: date, first: date | None = None, last: date | None = None,
               channels: tuple[str, ...] = ()) -> list[Page]:
    """The site's pages: ``index.html`` and one ``YYYY-MM.html`` per month of ``first..last``
    (default: the horizon), as of ``today``; ``channels`` (empty: all) narrows posts, slots and findings."""
    options = CheckOptions(first=first, last=last)
    context = context_for(plan, options, today, outcomes)
    wanted = set(channels or plan.channels)
    findings = [d for d in run_in(context, options) if d.channel is None or d.channel in wanted]
    numbers: dict[str, list[int]] = {}
    for number, diagnostic in enumerate(findings):
        for post_id in diagnostic.post_ids:
            numbers.setdefault(post_id, []).append(number)
    grace = context.settings["publish_grace"]
    kinds = {name: index for index, name in enumerate(plan.kinds)}
    entries: dict[date, list[_Entry]] = {}
    for post in context.posts:
        if post.channel in wanted:
            owner = owner_of(plan, post) or ""
            attributes = (  # the filters read these: FILTERS, in order
                f'class="item k{kinds.get(post.kind, 0)}" data-channel="{_name(post.channel)}" data-kind="{_name(post.kind)}" '
                f'data-owner="{_name(owner)}" data-status="{post.status}"'
            )
            entry = _Entry(post, owner, is_published(post, outcomes), is_overdue(post, outcomes, today, grace), numbers.get(post.id, []), attributes, html_text(post.title),
                           f"{post.at.hour:02d}:{post.at.minute:02d}")
            entries.setdefault(post.day, []).append(entry)
    for day_entries in entries.values():
        day_entries.sort(key=lambda entry: (entry.post.ts, entry.post.id))
    slots: dict[date, list[tuple[int, str]]] = {}
    for channel, instants in context.gaps.items():
        if channel in wanted:
            for ts in instants:
                slots.setdefault(_local_day(plan, ts), []).append((ts, channel))
    for day_slots in slots.values():
        day_slots.sort()
    months, month = [], context.first.replace(day=1)
    while month <= context.last:
        months.append(month)
        month = _next_month(month)
    style = STYLE + "".join(f".k{index}{{--kind:{_kind_colour(kind.color, index)}}}" for index, kind in enumerate(plan.kinds.values()))
    days = {entry.post.id: day for day, day_entries in entries.items() for entry in day_entries}
    channel_text = {name: (html_text(channel.label), html_text(channel.mark or channel.label)) for name, channel in plan.channels.items()}
    site = _Site(plan, today, context.first, context.last, outcomes is not None, entries, slots, findings, days, months, channel_text, _head(style), _controls(plan, entries))
    pages = [Page("index.html", _overview(site, build_report(plan, outcomes, today, first, last) if outcomes else None))]
    for month in months:
        month_first, month_last = max(month, context.first), min(_next_month(month) - timedelta(days=1), context.last)
        report = build_report(plan, outcomes, today, month_first, month_last) if outcomes else None
        pages.append(Page(_page_name(month), _month_page(site, month, report)))
    return pages


def _local_day(plan: Plan, ts: int) -> date:
    return datetime.fromtimestamp(ts, plan.tz).date()


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _page_name(month: date) -> str:
    return f"{month:%Y-%m}.html"


def _kind_colour(colour: str | None, index: int) -> str:
    return colour if colour and _COLOUR.fullmatch(colour) else PALETTE[index % len(PALETTE)]


def _source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _head(style: str) -> str:
    """What every page's <head> holds: no request allowed to anywhere, only this style and script run."""
    policy = (
        f"default-src 'none'; style-src {_source_hash(style)}; script-src {_source_hash(SCRIPT)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return (
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<style>{style}</style>"
    )


def _document(site: _Site, title: str, body: list[str]) -> str:
    return "\n".join([
        "<!doctype html>", '<html lang="en"><head>', site.head, f"<title>{title}</title></head><body>", *body, f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]) + "\n"


def _day_label(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {month_name[day.month][:3]} {day.year}"


def _is_web_address(link: str) -> bool:
    """Only http(s) addresses become links: ``javascript:`` and the like stay text."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _link(link: str | None) -> str:
    if not link:
        return ""
    if _is_web_address(link) and link.isprintable():
        return f'<a href="{html_text(link)}" rel="noopener noreferrer nofollow">{html_text(link)}</a>'
    return f"<span>{html_text(link)}</span>"


def _state(entry: _Entry, recorded: bool) -> str:
    if entry.published:
        return f'<span class="done" title="{"recorded in the outcomes store" if recorded else "status published"}">✓ published</span>'
    if entry.missed:
        return '<span class="missed">✗ missed</span>'
    return ""


def _to(day: date | None, anchor: str, here: str) -> str:
    """The attributes of a link to ``anchor`` on the page that shows ``day`` (None: the overview):
    a fragment on this page; on another, an address the filters carry over to (``data-page``)."""
    page = _page_name(day.replace(day=1)) if day else "index.html"
    return f'href="#{anchor}"' if page == here else f'data-page="{page}#{anchor}" href="{page}#{anchor}"'


def _finding_links(numbers: list[int], site: _Site, here: str) -> str:
    return " ".join(f'<a class="flag {site.findings[n].severity}" {_to(site.findings[n].date, f"f-{n}", here)}>{site.findings[n].code}</a>' for n in numbers)


# -- the month page ---------------------------------------------------------------------------


def _month_page(site: _Site, month: date, report: Report | None) -> str:
    plan = site.plan
    title = f"{html_text(plan.name)}: {month_name[month.month]} {month.year}"
    last = _next_month(month) - timedelta(days=1)
    findings = [n for n, d in enumerate(site.findings) if d.date and month <= d.date <= last]
    body = [
        "<header>",
        f'<p class="crumbs"><a data-page="index.html" href="index.html">{html_text(plan.name)}</a></p>',
        f"<h1>{month_name[month.month]} {month.year}</h1>",
        f'<p class="sub">{_as_of(site)}</p>',
        _month_nav(site, month),
        site.controls,
        "</header>",
        '<main>',
        _month_view(site, month, last),
        _week_view(site, month, last),
        _list_view(site, month, last),
        _findings_list(site, findings, f"Findings in {month_name[month.month]}", _page_name(month)),
        _figures(report) if report else "",
        "</main>",
    ]
    return _document(site, title, body)


def _as_of(site: _Site) -> str:
    store = "" if site.recorded else " · no outcomes recorded: published means the plan's status"
    return f"Times in {html_text(site.plan.timezone)} · as of {_day_label(site.today)}{store}"


def _month_nav(site: _Site, month: date) -> str:
    index = site.months.index(month)
    before = site.months[index - 1] if index else None
    after = site.months[index + 1] if index + 1 < len(site.months) else None
    links = [f'<a data-page="{_page_name(before)}" href="{_page_name(before)}" rel="prev">‹ {month_name[before.month]}</a>' if before else "<span></span>"]
    links.append(f'<a data-page="{_page_name(after)}" href="{_page_name(after)}" rel="next">{month_name[after.month]} ›</a>' if after else "<span></span>")
    return f'<nav class="months">{"".join(links)}</nav>'


def _controls(plan: Plan, entries: dict[date, list[_Entry]]) -> str:
    owners = sorted({entry.owner for day in entries.values() for entry in day if entry.owner})
    present = {entry.post.status for day in entries.values() for entry in day}
    statuses = [status for status in STATUSES if status in present]
    choices = {
        "channel": [(name, channel.label) for name, channel in plan.channels.items()],
        "kind": [(name, kind.label) for name, kind in plan.kinds.items()],
        "owner": [(name, name) for name in owners],
        "status": [(name, name) for name in statuses],
    }
    selects = [
        f'<label>{name} <select data-filter="{name}"><option value="">all</option>'
        + "".join(f'<option value="{html_text(value)}">{html_text(label)}</option>' for value, label in choices[name])
        + "</select></label>"
        for name in FILTERS
    ]
    views = "".join(f'<button type="button" data-show="{view}" aria-pressed="{str(view == "month").lower()}">{view}</button>' for view in ("month", "week", "list"))
    return f'<div class="controls"><div class="views" role="group" aria-label="view">{views}</div><div class="filters">{"".join(selects)}</div></div>'


def _month_weeks(month: date, last: date) -> list[date]:
    """The Mondays of the weeks the month's days fall in."""
    weeks, day = [], monday(month)
    while day <= last:
        weeks.append(day)
        day += timedelta(days=7)
    return weeks


def _chip(site: _Site, entry: _Entry) -> str:
    post = entry.post
    state, mark = (" published", " ✓") if entry.published else (" overdue", " ✗") if entry.missed else ("", "")
    return (
        f'<a {entry.attributes} href="#p-{post.index}"><span class="chip{state}"><b>{entry.time}</b> '
        f'<i>{site.channels[post.channel][1]}</i> {entry.title}{mark}</span></a>'
    )


def _slot(site: _Site, ts: int, channel: str) -> str:
    at = datetime.fromtimestamp(ts, site.plan.tz)
    missed = at.date() < site.today
    word = "missed slot" if missed else "open slot"
    return f'<span class="item slot{" late" if missed else ""}" data-channel="{html_text(channel)}">{at:%H:%M} <i>{site.channels[channel][1]}</i> {word}</span>'


def _month_view(site: _Site, month: date, last: date) -> str:
    cells = [f'<div class="weekday">{name}</div>' for name in WEEKDAYS]
    by_day: dict[date, list[int]] = {}
    for number, diagnostic in enumerate(site.findings):
        if diagnostic.date:
            by_day.setdefault(diagnostic.date, []).append(number)
    for week in _month_weeks(month, last):
        for offset in range(7):
            day = week + timedelta(days=offset)
            if not month <= day <= last:
                cells.append('<div class="day out" aria-hidden="true"></div>')
                continue
            inside = site.first <= day <= site.last
            content = [_chip(site, entry) for entry in site.entries.get(day, [])] + [_slot(site, ts, channel) for ts, channel in site.slots.get(day, [])]
            flags = _finding_links(by_day.get(day, []), site, _page_name(month))
            today = " today" if day == site.today else ""
            cells.append(
                f'<div class="day{today}{"" if inside else " beyond"}" id="d-{day}" data-day="{day}"><h3><span class="wd">{WEEKDAYS[day.weekday()]} </span>{day.day}</h3>'
                + (f'<p class="flags">{flags}</p>' if flags else "") + "".join(content) + "</div>"
            )
    return f'<section data-view="month" aria-label="month"><div class="grid">{"".join(cells)}</div></section>'


def _week_view(site: _Site, month: date, last: date) -> str:
    weeks = _month_weeks(month, last)
    current = next((week for week in weeks if week <= site.today < week + timedelta(days=7)), weeks[0])
    parts = []
    for week in weeks:
        end = week + timedelta(days=6)
        days = []
        for offset in range(7):
            day = week + timedelta(days=offset)
            rows = [
                f'<li {entry.attributes}><a href="#p-{entry.post.index}"><b>{entry.time}</b> {entry.title}</a>'
                f'<small>{site.channels[entry.post.channel][0]} · {_name(entry.post.kind)} · {_name(entry.owner or "no owner")} · '
                f'{entry.post.status}</small> {_state(entry, site.recorded)}</li>'
                for entry in site.entries.get(day, [])
            ]
            rows += [f"<li>{_slot(site, ts, channel)}</li>" for ts, channel in site.slots.get(day, [])]
            days.append(f'<div class="wday{" today" if day == site.today else ""}"><h3>{WEEKDAYS[day.weekday()]} {day.day} {month_name[day.month][:3]}</h3><ul>{"".join(rows)}</ul></div>')
        current_mark = ' data-current=""' if week == current else ""
        parts.append(
            f'<section class="week" id="w-{iso_week(week)}"{current_mark}><h2>Week {week.isocalendar()[1]} · {_day_label(week)} to {_day_label(end)}</h2>'
            f'<div class="wdays">{"".join(days)}</div></section>'
        )
    steps = '<p class="steps"><button type="button" data-step="-1">‹ week before</button> <button type="button" data-step="1">week after ›</button></p>'
    return f'<section data-view="week" aria-label="week">{steps}{"".join(parts)}</section>'


def _list_view(site: _Site, month: date, last: date) -> str:
    plan = site.plan
    parts = []
    day = month
    while day <= last:
        entries = site.entries.get(day, [])
        if entries:
            parts.append(f'<h3><a href="#d-{day}">{_day_label(day)}</a></h3>')
        for entry in entries:
            post = entry.post
            kind = plan.kinds.get(post.kind)
            more = f"<dt>needs</dt><dd>{_name(', '.join(kind.needs_approval))}</dd>" if kind and kind.needs_approval else ""
            more += f"<dt>link</dt><dd>{_link(post.link)}</dd>" if post.link else ""
            more += f"<dt>findings</dt><dd>{_finding_links(entry.findings, site, _page_name(month))}</dd>" if entry.findings else ""
            parts.append(
                f'<article {entry.attributes} id="p-{post.index}"><h4>{entry.title} <small>{html_text(post.id)}</small></h4><dl>'
                f"<dt>when</dt><dd>{entry.time}</dd><dt>channel</dt><dd>{site.channels[post.channel][0]}</dd>"
                f"<dt>kind</dt><dd>{_name(kind.label if kind else post.kind)}</dd><dt>owner</dt><dd>{_name(entry.owner or 'no owner')}</dd>"
                f"<dt>status</dt><dd>{post.status} {_state(entry, site.recorded)}</dd>"
                f"<dt>approved by</dt><dd>{_name(', '.join(post.approved_by)) or 'no one'}</dd>{more}</dl></article>"
            )
        day += timedelta(days=1)
    return f'<section data-view="list" aria-label="list">{"".join(parts) or "<p>No posts this month.</p>"}</section>'


def _findings_list(site: _Site, numbers: list[int], title: str, here: str) -> str:
    if not numbers:
        return f'<section class="findings"><h2>{title}</h2><p>None.</p></section>'
    rows = []
    for number in numbers:
        diagnostic = site.findings[number]
        where = f'<a href="#d-{diagnostic.date}">{_day_label(diagnostic.date)}</a> ' if diagnostic.date else ""
        posts = " ".join(
            f'<a {_to(site.days[post_id], f"p-{_post_index(site, post_id)}", here)}>{html_text(post_id)}</a>' for post_id in diagnostic.post_ids if post_id in site.days
        )
        helps = "".join(f"<br><small>help: {html_text(text)}</small>" for text in diagnostic.suggestions)
        channel = f' data-channel="{html_text(diagnostic.channel)}"' if diagnostic.channel else ""
        rows.append(
            f'<li class="item finding {diagnostic.severity}" id="f-{number}"{channel}>{where}<code>{diagnostic.code}</code> '
            f'<span class="sev">{diagnostic.severity}</span> {html_text(diagnostic.message)}{" · " + posts if posts else ""}{helps}</li>'
        )
    return f'<section class="findings"><h2>{title}</h2><ol>{"".join(rows)}</ol></section>'


def _post_index(site: _Site, post_id: str) -> int:
    return next(entry.post.index for entry in site.entries[site.days[post_id]] if entry.post.id == post_id)


# -- the report's figures ---------------------------------------------------------------------


def _figures(report: Report) -> str:
    parts = ['<section class="figures"><h2>Figures</h2>']
    for channel in report.channels:
        rows = "".join(
            f'<tr{" class=total" if week.week == "total" else ""}><td>{week.week}</td>' + "".join(f"<td>{getattr(week, name)}</td>" for name in COUNTS) + "</tr>"
            for week in [*channel.weeks, channel.total]
        )
        parts += [
            f"<h3>{html_text(channel.label)}</h3>",
            f'<div class="scroll"><table><thead><tr><th>week</th>{"".join(f"<th>{name}</th>" for name in COUNTS)}</tr></thead><tbody>{rows}</tbody></table></div>',
            f"<p>Mix published: {html_text(mix_line(channel))}</p>",
            f"<p>Median engagement: {html_text(' · '.join(f'{row.kind} {figure(row.median)} ({row.posts})' for row in channel.engagement) or 'no figures yet')}</p>",
            f"<p>Followers: {html_text(followers_line(channel))}</p>",
        ]
    if report.goals:
        parts.append("<h3>Goals</h3><ul>" + "".join(f"<li>{html_text(goal_line(goal))}</li>" for goal in report.goals) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


# -- the overview -----------------------------------------------------------------------------


def _overview(site: _Site, report: Report | None) -> str:
    plan = site.plan
    rows = []
    for month in site.months:
        last = _next_month(month) - timedelta(days=1)
        entries = [entry for day, day_entries in site.entries.items() if month <= day <= last for entry in day_entries]
        findings = sum(1 for d in site.findings if d.date and month <= d.date <= last)
        rows.append(
            f'<tr><td><a data-page="{_page_name(month)}" href="{_page_name(month)}">{month_name[month.month]} {month.year}</a></td>'
            f"<td>{len(entries)}</td><td>{sum(entry.published for entry in entries)}</td><td>{sum(entry.missed for entry in entries)}</td><td>{findings}</td></tr>"
        )
    shortcuts = []
    for label, day in (("this week", site.today), ("next week", site.today + timedelta(days=7))):
        if site.first <= day <= site.last:
            shortcuts.append(f'<a data-page="{_page_name(day.replace(day=1))}#w-{iso_week(monday(day))}" href="{_page_name(day.replace(day=1))}#w-{iso_week(monday(day))}">{label}</a>')
    undated = [n for n, d in enumerate(site.findings) if d.date is None]
    body = [
        "<header>",
        f"<h1>{html_text(plan.name)}</h1>",
        f'<p class="sub">{_day_label(site.first)} to {_day_label(site.last)} · {_as_of(site)}</p>',
        f'<p class="objective">{html_text(plan.objective)}</p>' if plan.objective else "",
        f'<nav class="shortcuts">{" ".join(shortcuts)}</nav>' if shortcuts else "",
        "</header><main>",
        '<section><h2>Months</h2><div class="scroll"><table><thead><tr><th>month</th><th>posts</th><th>published</th><th>missed</th><th>findings</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
        f"<p>{counted(sum(map(len, site.entries.values())), 'post')}, {counted(len(site.findings), 'finding')} in all.</p></section>",
        _findings_list(site, undated, "Findings about the whole plan", "index.html"),
        _figures(report) if report else "",
        "</main>",
    ]
    return _document(site, html_text(plan.name), body)


STYLE = """
:root { --bg: #fbfbfa; --fg: #1f2933; --dim: #616e7c; --line: #d9dde2; --cell: #ffffff; --out: #f1f2f4; --accent: #2f5fa7;
  --good: #2e7d32; --bad: #c62828; --warn: #a15c00; --today: #fff5d6; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181c; --fg: #e4e7eb; --dim: #9aa5b1; --line: #323840; --cell: #1d2126; --out: #181b1f; --accent: #8ab4f8;
    --good: #66bb6a; --bad: #ef7070; --warn: #f0b35a; --today: #2b2a1e; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1280px; padding: 1rem; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; margin: .2rem 0; } h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; } h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
.sub, .crumbs { color: var(--dim); margin: 0; }
.months { display: flex; justify-content: space-between; gap: 1rem; margin: .6rem 0; }
.shortcuts { display: flex; gap: 1.2rem; margin: .6rem 0; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: center; margin: .6rem 0 1rem; }
.filters { display: flex; flex-wrap: wrap; gap: .4rem .8rem; }
.filters label { color: var(--dim); font-size: .9rem; }
select, button { font: inherit; color: var(--fg); background: var(--cell); border: 1px solid var(--line); border-radius: 6px; padding: .2rem .5rem; }
button[aria-pressed=true] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
html:not(.js) .views, html:not(.js) .steps { display: none; }
.grid { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 1px; background: var(--line); border: 1px solid var(--line); }
.weekday { background: var(--out); color: var(--dim); font-size: .8rem; padding: .2rem .4rem; }
.day { background: var(--cell); min-height: 6.5rem; padding: .25rem; min-width: 0; }
.day.out, .day.beyond { background: var(--out); }
.day.today { background: var(--today); }
.day h3 { font-size: .85rem; margin: 0 0 .2rem; color: var(--dim); } .day .wd { display: none; }
.day:target, article:target, li:target { outline: 3px solid var(--accent); outline-offset: -3px; }
.grid a.item { display: block; text-decoration: none; color: inherit; margin: 0 0 2px; }
.chip { display: block; font-size: .78rem; line-height: 1.3; padding: .15rem .3rem; border-radius: 4px; border-left: 4px solid var(--kind);
  background: color-mix(in srgb, var(--kind) 14%, var(--cell)); overflow-wrap: anywhere; }
.chip i, .slot i { font-style: normal; color: var(--dim); }
.chip.overdue { box-shadow: inset 0 0 0 1px var(--bad); }
.slot { display: block; font-size: .75rem; padding: .1rem .3rem; margin: 0 0 2px; border: 1px dashed var(--line); border-radius: 4px; color: var(--dim); }
.slot.late { border-color: var(--bad); color: var(--bad); }
.flags { margin: 0 0 .2rem; }
.flag { font-size: .7rem; font-family: ui-monospace, monospace; padding: 0 .25rem; border-radius: 3px; text-decoration: none; border: 1px solid currentColor; margin-right: 2px; }
.flag.error, .finding.error .sev { color: var(--bad); } .flag.warning, .finding.warning .sev { color: var(--warn); } .flag.info, .finding.info .sev { color: var(--dim); }
.done { color: var(--good); font-weight: 600; } .missed { color: var(--bad); font-weight: 600; }
.week h2 { font-size: 1rem; }
.wdays { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: .5rem; }
.wday { background: var(--cell); border: 1px solid var(--line); border-radius: 6px; padding: .4rem; min-width: 0; }
.wday.today { background: var(--today); }
.wday h3 { font-size: .85rem; margin: 0 0 .3rem; color: var(--dim); }
.wday ul { list-style: none; margin: 0; padding: 0; }
.wday li { margin: 0 0 .5rem; padding-left: .4rem; border-left: 4px solid var(--kind, var(--line)); overflow-wrap: anywhere; font-size: .85rem; }
.wday li a { display: block; color: inherit; text-decoration: none; } .wday small { display: block; color: var(--dim); }
article.item { background: var(--cell); border: 1px solid var(--line); border-left: 5px solid var(--kind); border-radius: 6px; padding: .5rem .8rem; margin: 0 0 .6rem; overflow-wrap: anywhere; }
article h4 { margin: 0 0 .3rem; font-size: 1rem; } article h4 small { color: var(--dim); font-weight: 400; }
dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1rem .8rem; margin: 0; font-size: .9rem; }
dt { color: var(--dim); } dd { margin: 0; }
.findings ol { padding-left: 1.4rem; } .findings li { margin: 0 0 .4rem; overflow-wrap: anywhere; }
.sev { font-size: .8rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid var(--line); text-align: right; } th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: 600; }
@media (max-width: 700px) {
  body { padding: .6rem; font-size: 16px; }
  .grid { grid-template-columns: minmax(0, 1fr); }
  .weekday, .day.out { display: none; }
  .day { min-height: 0; } .day .wd { display: inline; } .day.beyond { display: none; }
  .chip { font-size: .9rem; }
  .wdays { grid-template-columns: minmax(0, 1fr); }
}
@media print {
  @page { size: A4 landscape; margin: 8mm; }
  :root { --bg: #fff; --fg: #000; --cell: #fff; --out: #f3f3f3; --today: #fff; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  .controls, .months, .crumbs, [data-view=week], [data-view=list], .figures { display: none !important; }
  [data-view=month] { display: block !important; }
  .grid { break-inside: avoid; } .day { min-height: 4.5rem; }
  .chip, .slot { font-size: 7pt; }
  .findings { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var doc = document, views = doc.querySelectorAll("[data-view]"), weeks = doc.querySelectorAll(".week");
  var selects = doc.querySelectorAll("select[data-filter]"), shown = 0;
  doc.documentElement.classList.add("js");
  function showView(name) {
    views.forEach(function (view) { view.hidden = view.getAttribute("data-view") !== name; });
    doc.querySelectorAll("[data-show]").forEach(function (button) { button.setAttribute("aria-pressed", String(button.getAttribute("data-show") === name)); });
  }
  function showWeek(index) {
    shown = Math.max(0, Math.min(weeks.length - 1, index));
    weeks.forEach(function (week, at) { week.hidden = at !== shown; });
  }
  function apply() {
    var wanted = {};
    selects.forEach(function (select) { if (select.value) { wanted[select.getAttribute("data-filter")] = select.value; } });
    doc.querySelectorAll(".item").forEach(function (item) {
      var finding = item.classList.contains("finding");
      item.hidden = Object.keys(wanted).some(function (key) {
        var value = item.getAttribute("data-" + key);
        return finding ? key === "channel" && value !== null && value !== wanted[key] : value !== wanted[key];
      });
    });
    var query = new URLSearchParams(wanted).toString();
    doc.querySelectorAll("a[data-page]").forEach(function (link) {
      var page = link.getAttribute("data-page").split("#");
      link.setAttribute("href", page[0] + (query ? "?" + query : "") + (page[1] ? "#" + page[1] : ""));
    });
  }
  function reveal() {
    var target = location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) { return; }
    var view = target.closest("[data-view]"), week = target.closest(".week");
    if (view) { showView(view.getAttribute("data-view")); }
    if (week) { showWeek(Array.prototype.indexOf.call(weeks, week)); }
    target.scrollIntoView();
  }
  var asked = new URLSearchParams(location.search);
  selects.forEach(function (select) {
    var value = asked.get(select.getAttribute("data-filter"));
    if (value !== null && Array.prototype.some.call(select.options, function (option) { return option.value === value; })) { select.value = value; }
    select.addEventListener("change", apply);
  });
  doc.querySelectorAll("[data-show]").forEach(function (button) {
    button.addEventListener("click", function () { showView(button.getAttribute("data-show")); });
  });
  doc.querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () { showWeek(shown + Number(button.getAttribute("data-step"))); });
  });
  var current = doc.querySelector(".week[data-current]");
  showWeek(current ? Array.prototype.indexOf.call(weeks, current) : 0);
  if (views.length) { showView("month"); }
  apply();
  reveal();
  window.addEventListener("hashchange", reveal);
})();
"""
