"""Time the outcomes commands as whole processes: `python bench/outcomes_bench.py [--runs 5]`.

- ``cadence metrics import`` of 100,000 post-metric rows (10,000 posts measured on 10 days)
  into a fresh store (budget: under 5 s), beside the parse-only process on the same plan;
- ``cadence report`` on the 10,000-post plan whose store holds a year of daily followers on
  its 20 channels and a publication for each past post (budget: under 2x ``cadence check``
  on the same plan and store), beside ``cadence check``.

Medians of several runs, the two commands of a pair run alternately (bench/run.py's
``paired``), so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import OUT, PARSE_ONLY, paired, plan_file, wall  # noqa: E402

from planner.loader import load_plan  # noqa: E402
from planner.outcomes import record, utc_text  # noqa: E402

CADENCE = [sys.executable, "-m", "calendar_tui"]


def metrics_csv(plan, folder: Path, days: int = 10) -> Path:
    """Every post measured on ``days`` days: 100,000 rows for 10,000 posts."""
    path = folder / "metrics.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["post_id", "day", "impressions", "reach", "likes", "comments", "shares", "saves", "clicks"])
        for number, post in enumerate(plan.posts):
            for offset in range(days):
                base = 100 + number % 900 + offset * 7
                writer.writerow([post.id, plan.start + timedelta(days=offset), base * 3, base * 2, base // 10, base // 50, base // 80, base // 60, base // 40])
    return path


def filled_store(plan, path: Path, today: date) -> None:
    """A year of daily followers per channel and a publication for every post before today."""
    followers = [
        {"channel": name, "day": (plan.start + timedelta(days=day)).isoformat(), "metric": "followers",
         "value": 1000.0 + 3 * day + index, "source": "bench", "line": 0}
        for index, name in enumerate(plan.channels) for day in range(365)
    ]
    publications = [
        {"post_id": post.id, "channel": post.channel, "published_at": utc_text(post.at), "url": None, "source": "bench", "line": 0}
        for post in plan.posts if post.day < today
    ]
    record(str(path), lambda store: store.write_metrics([], followers, publications), plan=plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    plan_path = plan_file(10000, 20, 3)
    plan = load_plan(str(plan_path))
    folder = Path(tempfile.mkdtemp(prefix="cadence-outcomes-bench-"))
    source = metrics_csv(plan, folder)
    store = folder / "import.db"

    imports = []
    for _ in range(args.runs):
        for leftover in folder.glob("import.db*"):
            os.unlink(leftover)
        imports.append(wall([*CADENCE, "metrics", "import", str(plan_path), str(source), "--db", str(store), "--on", str(plan.end)]))
    parse = wall([sys.executable, "-c", PARSE_ONLY, str(plan_path)])
    rows = sum(1 for _ in open(source)) - 1
    print(f"metrics import, {rows:,} rows:  median {statistics.median(imports):.2f} s  (budget 5 s; parse-only {parse:.2f} s)")

    today = plan.start + timedelta(days=365)
    filled = folder / "year.db"
    filled_store(plan, filled, today)
    common = ["--db", str(filled), "--today", str(today)]
    report, check = paired([*CADENCE, "report", str(plan_path), *common], [*CADENCE, "check", str(plan_path), *common], args.runs)
    print(f"report vs check, 10,000 posts, 20 channels, a year of daily followers:  report {report:.2f} s, check {check:.2f} s, "
          f"ratio {report / check:.2f}x  (budget 2x)")


if __name__ == "__main__":
    main()
