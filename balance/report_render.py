"""``cadence report`` laid out for its readers: text for the terminal, Markdown for a pull
request or ``$GITHUB_STEP_SUMMARY``, JSON for scripts, and one self-contained HTML file (inline
CSS and SVG charts, no script) for someone who never opens a terminal."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from html import escape
from typing import Callable

from balance.report import ChannelReport, GoalReport, RankedPost, Report
from balance.text import counted, html_text, markdown, markdown_code, printable, printable_json

SPARKS = "▁▂▃▄▅▆▇█"
COUNTS = ("slots", "filled", "planned", "published", "missed")


def sparkline(values: list[float]) -> str:
    """One block character per value, from the lowest (▁) to the highest (█)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[len(SPARKS) // 2] * len(values)
    return "".join(SPARKS[round((value - low) / (high - low) * (len(SPARKS) - 1))] for value in values)


def figure(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}"


def percent(share: float | None, signed: bool = False) -> str:
    if share is None:
        return "–"
    return f"{share:+.1%}" if signed else f"{share:.0%}"


def _limits(share) -> str:
    parts = [f"min {share.min_share:.0%}" if share.min_share is not None else "", f"max {share.max_share:.0%}" if share.max_share is not None else ""]
    return ", ".join(part for part in parts if part)


def mix_line(channel: ChannelReport) -> str:
    parts = []
    for share in channel.mix:
        limits = _limits(share)
        flag = "" if share.within else " ✗"
        parts.append(f"{share.name} {percent(share.share)}" + (f" ({limits}){flag}" if limits else ""))
    return " · ".join(parts) + mix_note(channel)


def mix_note(channel: ChannelReport) -> str:
    """Why a mix is not judged: too few published posts, as ``cadence check`` counts them."""
    published = channel.total.published
    if 0 < published < channel.min_posts:
        return f"; not judged: {counted(published, 'post')}, fewer than min_posts ({channel.min_posts})"
    return ""


def followers_line(channel: ChannelReport) -> str:
    followers = channel.followers
    if followers is None:
        return "no follower records"
    return (
        f"{figure(followers.first)} on {followers.first_day} → {figure(followers.last)} on {followers.last_day} "
        f"({percent(followers.growth, signed=True)}) {sparkline([value for _, value in followers.series])}"
    )


def goal_line(goal: GoalReport, with_state: bool = True) -> str:
    on = f" on {goal.channel}" if goal.channel else ""
    head = f"{goal.metric} {figure(goal.target)}{on} by {goal.by}"
    if goal.value is None:
        return f"{head}: nothing recorded yet"
    if goal.first_record:
        return f"{head}: {figure(goal.value)} on {goal.day}, the first day of its path; a later record shows the progress"
    state = (" (on track)" if goal.on_track else " (behind)") if with_state else ""
    trend = f"the trend reaches it on {goal.reaches}" if goal.reaches else "the trend never reaches it"
    return (
        f"{head}: {figure(goal.value)} on {goal.day}, {percent(goal.done)} of the way; "
        f"the path is at {figure(goal.expected)}{state}; {trend}"
    )


def post_lines(posts: list[RankedPost]) -> list[str]:
    """Ranked posts in aligned columns: id, channel, kind, day, engagement and reach."""
    widths = [max(len(getattr(post, name)) for post in posts) for name in ("post_id", "channel", "kind")]
    return [
        f"{post.post_id:<{widths[0]}}  {post.channel:<{widths[1]}}  {post.kind:<{widths[2]}}  {post.at:%a %Y-%m-%d}  "
        f"engagement {figure(post.engagement)}" + (f", reach {figure(post.reach)}" if post.reach is not None else "")
        for post in posts
    ]


def owners_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """Owners across, ISO weeks down: the hours their posts need, "of" their hours, ✗ when over."""
    from balance.capacity import format_hours

    names = sorted({load.owner for load in report.owners})
    weeks: dict[str, dict[str, str]] = {}
    for load in report.owners:
        cell = format_hours(load.needed) + (f" of {format_hours(load.hours)}" if load.hours is not None else "")
        weeks.setdefault(load.week, {})[load.owner] = cell + (" ✗" if load.over else "")
    return ["week", *names], [[week, *(cells.get(name, "–") for name in names)] for week, cells in weeks.items()]


def audiences_line(report: Report) -> str:
    return " · ".join(f"{row.audience or 'no audience'} {row.posts} ({percent(row.share)})" for row in report.audiences)


def heading(report: Report) -> str:
    store = "" if report.store else " (no outcomes recorded: published means the plan's status)"
    return f"{report.plan}: {report.first} to {report.last}, as of {report.today}{store}"


# -- text -------------------------------------------------------------------------------------


def render_text(report: Report) -> str:
    lines = [heading(report), ""]
    for channel in report.channels:
        lines.append(f"{channel.name} ({channel.label})" if channel.label != channel.name else channel.name)
        lines.append(f"  {'week':<9}" + "".join(f"{name:>11}" for name in COUNTS))
        for week in [*channel.weeks, channel.total]:
            lines.append(f"  {week.week:<9}" + "".join(f"{getattr(week, name):>11}" for name in COUNTS))
        lines.append(f"  mix published: {mix_line(channel)}")
        if channel.engagement:
            lines.append("  median engagement: " + " · ".join(f"{row.kind} {figure(row.median)} ({row.posts})" for row in channel.engagement))
        lines.append(f"  followers: {followers_line(channel)}")
        lines.append("")
    if report.days_off:
        lines += ["holidays and blackouts", *(f"  {day_off.line}" for day_off in report.days_off), ""]
    if report.goals:
        lines.append("goals")
        lines.extend(f"  {goal_line(goal)}" for goal in report.goals)
        lines.append("")
    for title, posts in (("top posts", report.top), ("bottom posts", report.bottom)):
        if posts:
            lines.append(title)
            lines.extend(f"  {line}" for line in post_lines(posts))
            lines.append("")
    if report.owners:
        header, rows = owners_table(report)
        widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
        lines.append("owners: hours their posts need per ISO week, of their hours (✗ over)")
        lines.extend("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header, *rows])
        lines.append("")
    if report.audiences:
        lines += [f"audiences: {audiences_line(report)}", ""]
    return "\n".join(map(printable, lines)).rstrip() + "\n"


# -- Markdown ---------------------------------------------------------------------------------


def _md_row(cells) -> str:
    """A table row of cells that are Markdown already (escape plan text with :func:`markdown`)."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render_markdown(report: Report) -> str:
    """Every piece of plan text (names, labels, kinds, ids, owners, audiences) goes through
    :func:`markdown` or :func:`markdown_code`, in a heading, a table cell or after our own words
    in a list item (never where it would start a block): a pull-request comment shows it and
    runs none of it."""
    lines = [f"## {markdown(report.plan)}", "", f"{report.first} to {report.last}, as of {report.today}" + ("" if report.store else " (no outcomes recorded)"), ""]
    for channel in report.channels:
        lines += [f"### {markdown(channel.label)}", "", _md_row(("week", *COUNTS)), _md_row(["---"] + ["---:"] * len(COUNTS))]
        for week in channel.weeks:
            lines.append(_md_row((week.week, *(getattr(week, name) for name in COUNTS))))
        lines.append(_md_row(("**total**", *(f"**{getattr(channel.total, name)}**" for name in COUNTS))))
        lines += ["", f"- mix published: {markdown(mix_line(channel))}"]
        if channel.engagement:
            lines.append("- median engagement: " + markdown(" · ".join(f"{row.kind} {figure(row.median)} ({row.posts})" for row in channel.engagement)))
        lines += [f"- followers: {followers_line(channel)}", ""]
    if report.days_off:
        lines += ["### Holidays and blackouts", ""] + [f"- {markdown(day_off.line)}" for day_off in report.days_off] + [""]
    if report.goals:
        lines += ["### Goals", ""] + [f"- {'✅' if goal.on_track else '⚠️' if goal.on_track is False else '…'} {markdown(goal_line(goal))}" for goal in report.goals] + [""]
    for title, posts in (("Top posts", report.top), ("Bottom posts", report.bottom)):
        if posts:
            lines += [f"### {title}", "", _md_row(("post", "channel", "kind", "day", "engagement", "reach")), _md_row(("---",) * 4 + ("---:",) * 2)]
            lines += [
                _md_row((markdown_code(p.post_id, in_table=True), markdown(p.channel), markdown(p.kind), f"{p.at:%a %Y-%m-%d}", figure(p.engagement), figure(p.reach)))
                for p in posts
            ]
            lines.append("")
    if report.owners:
        header, rows = owners_table(report)
        lines += ["### Owners' hours per week", "", _md_row(map(markdown, header)), _md_row(["---"] + ["---:"] * (len(header) - 1))]
        lines += [_md_row(map(markdown, row)) for row in rows] + [""]
    if report.audiences:
        lines += ["### Audiences", "", _md_row(("audience", "posts", "share")), _md_row(("---", "---:", "---:"))]
        lines += [_md_row((markdown(row.audience) if row.audience else "no audience", row.posts, percent(row.share))) for row in report.audiences] + [""]
    return "\n".join(lines).rstrip() + "\n"


# -- JSON -------------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


def render_json(report: Report) -> str:
    data = asdict(report)
    for channel, raw in zip(report.channels, data["channels"]):
        for share, row in zip(channel.mix, raw["mix"]):
            row["within"] = share.within
        if channel.followers:
            raw["followers"]["growth"] = channel.followers.growth
    for goal, raw in zip(report.goals, data["goals"]):
        raw["on_track"], raw["done"] = goal.on_track, goal.done
    for load, raw in zip(report.owners, data["owners"]):
        raw["week"], raw["over"] = load.week, load.over
    return printable_json(json.dumps({"version": 1, "report": _jsonable(data)}, indent=2, ensure_ascii=False)) + "\n"


# -- HTML -------------------------------------------------------------------------------------

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; margin: 2rem auto; max-width: 1040px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #e4e7eb; padding-bottom: .2rem; }
.sub { color: #616e7c; margin-top: 0; }
.channel { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 1.5rem; align-items: start; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #e4e7eb; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td:not(:first-child) { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid #cbd2d9; }
td.missed { color: #c62828; } td.published { color: #2e7d32; }
.facts { margin: .6rem 0 0; padding: 0; list-style: none; } .facts li { margin: .2rem 0; }
.bad { color: #c62828; font-weight: 600; } .good { color: #2e7d32; font-weight: 600; }
.legend span { display: inline-block; margin-right: .8rem; font-size: .85rem; color: #52606d; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border-radius: 2px; }
.goal { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 1.5rem; align-items: center; margin: .8rem 0; }
svg text { font: 11px system-ui, sans-serif; fill: #52606d; }
"""
PLANNED, PUBLISHED, MISSED, PATH, SLOTS = "#9aa5b1", "#2e7d32", "#c62828", "#3f51b5", "#1f2933"


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{html_text(label)}">' + "".join(body) + "</svg>"


def weeks_chart(channel: ChannelReport) -> str:
    """Bars per ISO week: planned, published and missed posts side by side."""
    width, height, bottom, top = 340, 170, 140, 12
    weeks = channel.weeks
    peak = max([week.planned for week in weeks] + [week.slots for week in weeks] + [1])
    slot = (width - 30) / max(len(weeks), 1)
    bar = max(min(slot / 4, 18), 1.5)
    body = [f'<line x1="24" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="#cbd2d9"/>', f'<text x="0" y="{top + 8}">{peak}</text>']
    for index, week in enumerate(weeks):
        x = 28 + index * slot
        for offset, (posts, colour) in enumerate(((week.planned, PLANNED), (week.published, PUBLISHED), (week.missed, MISSED))):
            tall = (bottom - top) * posts / peak
            body.append(f'<rect x="{x + offset * bar:.1f}" y="{bottom - tall:.1f}" width="{bar - 1:.1f}" height="{tall:.1f}" fill="{colour}"><title>{html_text(week.week)}: {posts}</title></rect>')
        if week.slots:  # the cadence's promise, a mark across the week's bars
            level = bottom - (bottom - top) * week.slots / peak
            body.append(f'<line x1="{x - 2:.1f}" y1="{level:.1f}" x2="{x + 3 * bar + 1:.1f}" y2="{level:.1f}" stroke="{SLOTS}" stroke-width="2"><title>{html_text(week.week)}: {counted(week.slots, "slot")}</title></line>')
        if len(weeks) <= 12 or index % max(1, len(weeks) // 8) == 0:
            body.append(f'<text x="{x:.1f}" y="{bottom + 14}">W{week.week[-2:]}</text>')
    return _svg(width, height, body, f"{channel.label}: posts planned, published and missed per week")


def _line_chart(points: list[tuple[date, float]], first: date, last: date, extra: list[tuple[list[tuple[date, float]], str, str]], label: str,
                low: float | None = None, high: float | None = None) -> str:
    width, height, left, right, top, bottom = 340, 150, 46, 330, 12, 122
    values = [value for _, value in points] + [value for line, _, _ in extra for _, value in line]
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    if high == low:
        high, low = high + 1, low - 1
    span = max((last - first).days, 1)

    def xy(day: date, value: float) -> str:
        x = left + (right - left) * (day - first).days / span
        y = bottom - (bottom - top) * (value - low) / (high - low)
        return f"{x:.1f},{y:.1f}"

    body = [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#cbd2d9"/>',
        f'<text x="0" y="{top + 8}">{html_text(figure(high))}</text>', f'<text x="0" y="{bottom}">{html_text(figure(low))}</text>',
        f'<text x="{left}" y="{bottom + 16}">{first:%d %b}</text>', f'<text x="{right - 40}" y="{bottom + 16}">{last:%d %b}</text>',
    ]
    for line, colour, dash in extra:
        body.append(f'<polyline points="{" ".join(xy(d, v) for d, v in line)}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>')
    if points:
        body.append(f'<polyline points="{" ".join(xy(d, v) for d, v in points)}" fill="none" stroke="{PUBLISHED}" stroke-width="2.5"/>')
        x, y = xy(*points[-1]).split(",")
        body.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="{PUBLISHED}"/>')
    return _svg(width, height, body, label)


def followers_chart(channel: ChannelReport, report: Report) -> str:
    followers = channel.followers
    if followers is None:
        return '<p class="sub">No follower records in this range.</p>'
    return _line_chart(followers.series, report.first, report.last, [], f"{channel.label}: followers")


def goal_chart(goal: GoalReport) -> str:
    if goal.value is None or goal.start_day is None:
        return '<p class="sub">Nothing recorded yet.</p>'
    path = [(goal.start_day, goal.start), (goal.by, goal.target)]
    extra = [(path, PATH, "5 4")]
    if goal.reaches and goal.reaches > goal.by:
        extra.append(([(goal.day, goal.value), (goal.by, goal.value + (goal.target - goal.value) * (goal.by - goal.day).days / max((goal.reaches - goal.day).days, 1))], MISSED, "2 3"))
    return _line_chart(goal.series, goal.start_day, goal.by, extra, f"{goal.metric}: recorded against the path to {figure(goal.target)}",
                       low=min(goal.start, goal.target, *[v for _, v in goal.series]), high=max(goal.start, goal.target, *[v for _, v in goal.series]))


def _cell(value, css: str = "") -> str:
    return f'<td class="{css}">{html_text(str(value))}</td>' if css else f"<td>{html_text(str(value))}</td>"


def _followers_span(channel: ChannelReport) -> str:
    followers = channel.followers
    if followers is None:
        return "no records in this range"
    return html_text(f"{figure(followers.first)} on {followers.first_day} → {figure(followers.last)} on {followers.last_day}")


def _channel_html(channel: ChannelReport, report: Report) -> list[str]:
    rows = []
    for week in [*channel.weeks, channel.total]:
        cells = [_cell(week.week)] + [_cell(getattr(week, name), name if name in ("missed", "published") and getattr(week, name) else "") for name in COUNTS]
        rows.append(f'<tr class="{"total" if week.week == "total" else ""}">' + "".join(cells) + "</tr>")
    mix = []
    for share in channel.mix:
        limits = _limits(share)
        mark = "" if share.within else ' <span class="bad">outside its limits</span>'
        mix.append(f"{html_text(share.name)} {percent(share.share)}" + (f" <small>({html_text(limits)})</small>{mark}" if limits else ""))
    engagement = " · ".join(f"{html_text(row.kind)} {figure(row.median)} <small>({row.posts})</small>" for row in channel.engagement) or "no figures yet"
    followers = channel.followers
    growth = ""
    if followers is not None and followers.growth is not None:
        growth = f' <span class="{"good" if followers.growth > 0 else "bad"}">{percent(followers.growth, signed=True)}</span>'
    legend = "".join(f'<span><i style="background:{colour}"></i>{name}</span>' for name, colour in (("slots", SLOTS), ("planned", PLANNED), ("published", PUBLISHED), ("missed", MISSED)))
    return [
        f"<h2>{html_text(channel.label)}</h2>",
        '<div class="channel"><div>',
        "<table><thead><tr><th>week</th>" + "".join(f"<th>{name}</th>" for name in COUNTS) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>",
        '<ul class="facts">',
        f"<li><b>Mix published:</b> {' · '.join(mix)}{escape(mix_note(channel))}</li>",
        f"<li><b>Median engagement per kind:</b> {engagement}</li>",
        f"<li><b>Followers:</b> {_followers_span(channel)}{growth}</li>",
        "</ul></div><div>",
        weeks_chart(channel), f'<div class="legend">{legend}</div>', followers_chart(channel, report),
        "</div></div>",
    ]


def render_html(report: Report) -> str:
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html_text(report.plan)}: report</title>", f"<style>{STYLE}</style></head><body>",
        f"<h1>{html_text(report.plan)}</h1>",
        f'<p class="sub">{report.first:%d %B %Y} to {report.last:%d %B %Y}, as of {report.today:%d %B %Y}'
        + ("" if report.store else " · no outcomes recorded: published means the plan's status") + "</p>",
    ]
    for channel in report.channels:
        parts += _channel_html(channel, report)
    if report.days_off:
        parts.append("<h2>Holidays and blackouts</h2><ul>" + "".join(f"<li>{html_text(day_off.line)}</li>" for day_off in report.days_off) + "</ul>")
    if report.goals:
        parts.append("<h2>Goals</h2>")
        for goal in report.goals:
            state = "" if goal.on_track is None else (' <span class="good">on track</span>' if goal.on_track else ' <span class="bad">behind</span>')
            parts.append(f'<div class="goal"><p>{html_text(goal_line(goal, with_state=False))}{state}</p>{goal_chart(goal)}</div>')
        parts.append(f'<div class="legend"><span><i style="background:{PUBLISHED}"></i>recorded</span><span><i style="background:{PATH}"></i>straight-line path</span><span><i style="background:{MISSED}"></i>current trend</span></div>')
    for title, posts in (("Top posts", report.top), ("Bottom posts", report.bottom)):
        if posts:
            parts.append(f"<h2>{title}</h2><table><thead><tr><th>post</th><th>channel</th><th>kind</th><th>day</th><th>engagement</th><th>reach</th></tr></thead><tbody>")
            parts += [
                f"<tr><td>{html_text(p.title)} <small>({html_text(p.post_id)})</small></td>{_cell(p.channel)}{_cell(p.kind)}{_cell(f'{p.at:%a %d %b}')}{_cell(figure(p.engagement))}{_cell(figure(p.reach))}</tr>"
                for p in posts
            ]
            parts.append("</tbody></table>")
    if report.owners:
        header, rows = owners_table(report)
        parts.append("<h2>Owners' hours per week</h2><table><thead><tr>" + "".join(f"<th>{html_text(cell)}</th>" for cell in header) + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(_cell(cell, "bad" if cell.endswith("✗") else "") for cell in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
    if report.audiences:
        parts.append(f"<h2>Audiences</h2><p>{html_text(audiences_line(report))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {"text": render_text, "md": render_markdown, "json": render_json, "html": render_html}
