"""Time `cadence import` and `cadence export` on the 10,000-post plan, as whole processes, beside
`cadence check` on the same plan and a process that only parses it with tomli.

    python bench/interop.py [--runs 5] [--size 10000]

The import reads a 10,000-row CSV (the plan's own `--to csv` export) into the same plan with its
posts removed, so its result is the 10,000-post plan. Budgets (issue 10, bench/README.md): each at most
2x `cadence check` on the plan, and at most 3x parse-only.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys

from run import ENV, OUT, PARSE_ONLY, ROOT, paired, plan_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    python = sys.executable
    cadence = [python, "-m", "calendar_tui"]
    plan = plan_file(args.size, 20, 3)
    rows = OUT / f"posts-{args.size}.csv"
    subprocess.run([*cadence, "export", str(plan), "--to", "csv", "-o", str(rows)], cwd=ROOT, env=ENV, check=True, capture_output=True)
    empty, target = OUT / f"empty-{args.size}.toml", OUT / f"imported-{args.size}.toml"
    empty.write_text(_without_posts(plan.read_text(encoding="utf-8")), encoding="utf-8")

    print(f"python: {sys.version.split()[0]}, runs per figure: {args.runs} (median); {args.size} posts")
    parse, check = paired([python, "-c", PARSE_ONLY, str(plan)], [*cadence, "check", "--today", "2027-01-01", str(plan)], args.runs)
    print(f"{'parse-only':<22} {parse:>7.3f} s")
    print(f"{'check':<22} {check:>7.3f} s  {check / parse:>5.2f}x parse-only")
    figures = {
        "export --to ics": [*cadence, "export", str(plan), "--to", "ics", "-o", str(OUT / "plan.ics")],
        "export --to csv": [*cadence, "export", str(plan), "--to", "csv", "-o", str(OUT / "plan.csv")],
        f"import ({args.size:,} rows)": [
            "sh", "-c", f"cp {shlex.quote(str(empty))} {shlex.quote(str(target))} && "
            + shlex.join([*cadence, "import", str(rows), str(target)]) + " > /dev/null",
        ],
    }
    for name, command in figures.items():
        seconds, check_again = paired(command, [*cadence, "check", "--today", "2027-01-01", str(plan)], args.runs)
        print(f"{name:<22} {seconds:>7.3f} s  {seconds / check_again:>5.2f}x check (budget 2)  {seconds / parse:>5.2f}x parse-only (budget 3)")


def _without_posts(text: str) -> str:
    """The generated plan without its [[post]] tables (each runs to the next table header)."""
    kept, in_post = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            in_post = line.strip() == "[[post]]"
        if not in_post:
            kept.append(line)
    return "".join(kept)


if __name__ == "__main__":
    main()
