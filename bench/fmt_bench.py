"""Time `cadence fmt --check` and the writer's bulk add against a parse-only process.

    python bench/fmt_bench.py [--runs 7] [--posts 10000] [--base 1000]

Whole processes, medians, each paired with a process that only parses the same file with
tomli (bench/run.py's helpers). Figures:

- ``fmt --check`` on a formatted plan of ``--posts`` posts (budget 2x parse-only);
- ``fmt --check`` on the same plan unformatted: ``key=value`` without spaces everywhere and
  the posts in reverse order, so every table changes and moves (budget 3x);
- ``PlanText.add_posts`` of ``--posts`` new posts into a plan of ``--base`` posts, read and
  written as ``cadence import`` does, against parsing the result (budget 3x).
"""

from __future__ import annotations

import argparse
import re
import sys

from run import OUT, PARSE_ONLY, ROOT, paired, plan_file

sys.path.insert(0, str(ROOT))

from planner.formatter import format_plan  # noqa: E402

ADD_POSTS = """
import sys
from datetime import datetime, timedelta
from planner.writer import PlanText
text = open(sys.argv[1], encoding="utf-8").read()
start = datetime(2027, 1, 1, 8)
posts = [
    {"id": f"imported-{n}", "at": start + timedelta(minutes=137 * n), "channel": f"ch{n % 20:02d}", "kind": "tip",
     "title": f"Imported post number {n}", "status": "draft", "tags": ["imported"]}
    for n in range(int(sys.argv[2]))
]
open(sys.argv[3], "w", encoding="utf-8").write(PlanText(text).add_posts(posts))
"""


def unformatted(text: str) -> str:
    """Every table's keys squeezed (``key=value``) and the posts in reverse order."""
    head, first, rest = text.partition("\n[[post]]\n")
    backlog = rest.find("\n[[backlog]]\n")
    posts, tail = (rest[:backlog], rest[backlog:]) if backlog >= 0 else (rest, "")
    blocks = ("[[post]]\n" + posts).split("\n\n[[post]]\n")
    reordered = "\n\n[[post]]\n".join(reversed([block.removeprefix("[[post]]\n") for block in blocks]))
    squeezed = head + first + reordered + tail
    return re.sub(r"^([A-Za-z_]+) = ", r"\1=", squeezed, flags=re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--base", type=int, default=1000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    python = sys.executable
    formatted = OUT / f"fmt-{args.posts}-formatted.toml"
    formatted.write_text(format_plan(plan_file(args.posts, 20, 3).read_text(encoding="utf-8")), encoding="utf-8")
    messy = OUT / f"fmt-{args.posts}-unformatted.toml"
    messy.write_text(unformatted(formatted.read_text(encoding="utf-8")), encoding="utf-8")
    base = OUT / f"add-{args.base}-base.toml"
    base.write_text(format_plan(plan_file(args.base, 20, 3).read_text(encoding="utf-8")), encoding="utf-8")
    result = OUT / f"add-{args.base}+{args.posts}.toml"

    print(f"python: {sys.version.split()[0]}, runs per figure: {args.runs} (median)")
    print(f"{'what':>34} {'parse-only s':>13} {'run s':>8} {'ratio':>6} {'budget':>7}")
    rows = [
        (f"fmt --check, {args.posts} formatted", formatted, [python, "-m", "calendar_tui", "fmt", "--check", str(formatted)], 2),
        (f"fmt --check, {args.posts} unformatted", messy, [python, "-m", "calendar_tui", "fmt", "--check", str(messy)], 3),
        (f"add_posts, {args.posts} into {args.base}", result, [python, "-c", ADD_POSTS, str(base), str(args.posts), str(result)], 3),
    ]
    for label, parsed, command, budget in rows:
        if not parsed.exists():  # the add's result is parsed by the baseline: make it first
            paired([python, "-c", "pass"], command, 1)
        parse, ran = paired([python, "-c", PARSE_ONLY, str(parsed)], command, args.runs)
        print(f"{label:>34} {parse:>13.3f} {ran:>8.3f} {ran / parse:>6.2f} {budget:>6}x")


if __name__ == "__main__":
    main()
