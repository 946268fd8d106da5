"""Writes the pages of the manual that the code already says: the rule reference (from the rules'
docstrings in balance/registry.py, as ruff's is) and the app's keys (calendar_tui/keys.py's table,
which the help screen shows too, and the screens' BINDINGS).

    python docs/generate.py            write docs/rules.md (below its marker) and docs/keys.md
    python docs/generate.py --check    change nothing; exit 1 naming each page that is out of date

tests/test_docs.py runs the check, so a rule or a key changed without its page fails the suite.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # run as a script from anywhere: the packages are the repository's

MARKER = "<!-- Generated below from the rules' docstrings: edit them and run `python docs/generate.py`. -->"


def rule_reference() -> str:
    """The table of every rule, then each rule's documentation and settings, as `cadence rules CODE` prints them."""
    from balance.registry import RULES

    lines = [
        "## Every rule",
        "",
        "| code | name | default | today | what it finds |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | {rule.severity} | {'today' if rule.uses_today else ''} | {_markdown(rule.summary)} |"
        for rule in RULES
    ]
    for rule in RULES:
        lines += ["", f"## {rule.code} {rule.name}", ""]
        today = "; it depends on today's date, so pre-commit hooks leave it out" if rule.uses_today else ""
        lines += [f"Default severity: **{rule.severity}**{today}.", ""]
        lines += _doc_markdown(rule.doc)
        if rule.options:
            lines += ["", "Settings in `[rules]`:", "", "| setting | kind | default | what it sets |", "|---|---|---|---|"]
            lines += [f"| `{option.name}` | {option.kind} | `{option.default!r}` | {option.help} |" for option in rule.options]
    return "\n".join(lines) + "\n"


def _markdown(text: str) -> str:
    """A docstring's reStructuredText literals (``x``) as Markdown code spans."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def _doc_markdown(doc: str) -> list[str]:
    """A rule's docstring in Markdown: a literal block (``Example::``) becomes a fenced TOML block."""
    lines, rest = [], doc.splitlines()
    while rest:
        line = rest.pop(0)
        if not line.endswith("::"):
            lines.append(_markdown(line))
            continue
        block = []
        while rest and (rest[0].startswith("    ") or not rest[0].strip()):
            block.append(rest.pop(0)[4:])
        while block and not block[0]:
            block.pop(0)
        while block and not block[-1]:
            block.pop()
        lines += [_markdown(line[:-1]), "", "```toml", *block, "```", ""]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def keys_page() -> str:
    """Every key of the calendar and of its dialogs: what the help screen shows, then each screen's BINDINGS."""
    from textual.binding import Binding

    from calendar_tui.keys import keys_markdown
    from calendar_tui.screens.backlog_picker import BacklogPicker
    from calendar_tui.screens.calendar import CalendarScreen
    from calendar_tui.screens.filters import FilterScreen
    from calendar_tui.screens.help_screen import HelpScreen
    from calendar_tui.screens.post_editor import PostEditor
    from calendar_tui.screens.prompt import PromptScreen
    from calendar_tui.screens.search import SearchScreen

    screens = [
        ("The calendar", CalendarScreen),
        ("The post editor (`n`, `e`)", PostEditor),
        ("Search (`/`)", SearchScreen),
        ("The filter dialog (`F`)", FilterScreen),
        ("Filling a slot from the backlog (`f`)", BacklogPicker),
        ("Go to a date (`g`) and other questions", PromptScreen),
        ("This help (`?`)", HelpScreen),
    ]
    lines = [
        "# The app's keys",
        "",
        "<!-- Generated from calendar_tui/keys.py and the screens' BINDINGS by `python docs/generate.py`: edit those, then run it. -->",
        "",
        "The keys of `cadence open`. [The calendar app](app.md) says what each view shows.",
        "",
        "## What `?` shows",
        "",
        keys_markdown(),
        "## Every binding",
        "",
        "Each screen's bindings, as the app reads them: `ctrl+p` opens the command palette with every",
        "action of the calendar, and the footer shows the keys marked *footer*.",
    ]
    for title, screen in screens:
        lines += ["", f"### {title}", "", "| keys | what it does | action | footer |", "|---|---|---|---|"]
        for binding in screen.BINDINGS:
            binding = binding if isinstance(binding, Binding) else Binding(*binding)
            keys = " ".join(f"`{_key(key)}`" for key in binding.key.split(","))
            lines.append(f"| {keys} | {binding.description} | `{binding.action}` | {'footer' if binding.show else ''} |")
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    """A key as the app's footer shows it: ``shift+left`` is ``shift+←``, ``left_square_bracket`` is ``[``."""
    from textual.keys import format_key

    *modifiers, name = key.strip().split("+")
    return "+".join([*modifiers, format_key(name)]).replace("`", "\\`")


def pages() -> dict[Path, str]:
    """Each generated page's path and the text it should have."""
    rules = DOCS / "rules.md"
    written = rules.read_text(encoding="utf-8")
    if MARKER not in written:
        raise SystemExit(f"{rules}: the line {MARKER!r} is missing; it marks where the reference starts")
    head = written.split(MARKER, 1)[0]
    return {rules: head + MARKER + "\n\n" + rule_reference(), DOCS / "keys.md": keys_page()}


def main(argv: list[str]) -> int:
    stale = []
    for path, text in pages().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    if "--check" in argv and stale:
        print("out of date (run python docs/generate.py): " + ", ".join(str(path.relative_to(DOCS.parent)) for path in stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
