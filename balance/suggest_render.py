"""``cadence suggest`` laid out for its readers: text for the terminal, JSON for scripts, and
the lines ``--apply`` prints for the posts it added."""

from __future__ import annotations

import json
from typing import Callable

from balance.suggest import Proposal
from balance.text import counted, printable, printable_json

NO_OPEN_SLOTS = "no open slots: every cadence slot in the range has a post"


def render_text(proposals: list[Proposal]) -> str:
    """A line per open slot (its time, channel and idea), then how many the backlog fills."""
    if not proposals:
        return NO_OPEN_SLOTS + "\n"
    width = max(len(p.channel) for p in proposals)
    lines = []
    for p in proposals:
        what = f'{p.idea.id}  "{p.idea.title}" ({p.idea.kind})' if p.idea else "no backlog idea fits without breaking the mix"
        lines.append(printable(f"{p.at:%a %Y-%m-%d %H:%M}  {p.channel:<{width}}  {what}"))
    filled = sum(1 for p in proposals if p.idea)
    return "\n".join(lines) + f"\n\n{filled} of {len(proposals)} open slots can be filled from the backlog\n"


def render_json(proposals: list[Proposal]) -> str:
    """``{"version": 1, "proposals": [...]}``: each slot's channel and time, and its idea or nulls."""
    rows = [
        {"channel": p.channel, "at": p.at.isoformat(), "idea": p.idea.id if p.idea else None,
         "kind": p.idea.kind if p.idea else None, "title": p.idea.title if p.idea else None}
        for p in proposals
    ]
    return printable_json(json.dumps({"version": 1, "proposals": rows}, indent=2, ensure_ascii=False)) + "\n"


def render_applied(added: list[tuple[str, Proposal]], path: str, left: int) -> str:
    """What ``--apply`` did: a ``+`` line per post added (its new id, slot and idea), then the
    count added to ``path`` and the open slots ``left``."""
    lines = [f"+ {post_id}  {p.at:%a %Y-%m-%d %H:%M}  {p.channel}  from {p.idea.id}" for post_id, p in added]
    lines.append(f"added {counted(len(added), 'post')} to {path}; {left} open slots left")
    return "".join(printable(line) + "\n" for line in lines)


RENDERERS: dict[str, Callable[[list[Proposal]], str]] = {"text": render_text, "json": render_json}
