"""Time the app on a large plan: `python bench/app_bench.py [POSTS] [--runs 5]`.

First, the first screen as a user gets it: `cadence open` started in a detached tmux pane
(120x36), timed until the pane shows the month (its title line), median of several runs,
side by side with a process that only parses the same file with tomli. Then, headless
through Pilot (medians where repeated): moving a day and a month, moving a post (on screen at
once; the findings re-checked in a worker), and saving. Each key's figure is less the time
Pilot takes for a key the app ignores, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import ENV, PARSE_ONLY, ROOT, paired, plan_file  # noqa: E402

from calendar_tui.app import make_app  # noqa: E402


async def timed(pilot, *keys: str, findings: bool = False) -> float:
    """Seconds from the key to the screen updated (and, with ``findings``, re-checked)."""
    started = time.perf_counter()
    await pilot.press(*keys)
    await pilot.pause()
    if findings:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return time.perf_counter() - started


async def until(pilot, key: str, method: str) -> float:
    """Seconds from the key to the calendar screen's ``method`` first returning (e.g. the redraw after an edit)."""
    app = pilot.app
    original, marks = getattr(app.calendar, method), []

    def recording(*args) -> None:
        original(*args)
        marks.append(time.perf_counter())

    setattr(app.calendar, method, recording)
    started = time.perf_counter()
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    setattr(app.calendar, method, original)
    return marks[0] - started


TODAY = date(2028, 6, 14)
SHOWN = f"{TODAY:%B %Y} · month"  # in the title line once the month is drawn


def first_screen(path: Path) -> float:
    """Seconds from starting `cadence open PATH` in a 120x36 tmux pane to the month on it."""
    session = f"cadence-bench-{os.getpid()}"
    command = f"{sys.executable} -m calendar_tui open {path} --today {TODAY}"
    started = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36", "-c", str(ROOT), command], env=ENV, check=True)
    try:
        while True:
            pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
            if SHOWN in pane:
                return time.perf_counter() - started
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"no month on screen after 60 s:\n{pane}")
            time.sleep(0.005)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL, check=False)


def first_screens(path: Path, runs: int) -> tuple[float, float]:
    """Medians of the app's first screen and of a parse-only process, run alternately."""
    return paired(lambda: first_screen(path), [sys.executable, "-c", PARSE_ONLY, str(path)], runs)


async def main(posts: int, runs: int) -> None:
    path = Path(tempfile.mkdtemp()) / "plan.toml"
    shutil.copy(plan_file(posts, 20, 3), path)  # the app saves into its copy
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    if shutil.which("tmux"):
        screen, parse = first_screens(path, runs)
        print(f"app on a {posts}-post plan, first screen from the command line in tmux 120x36 (median of {runs}):")
        print(f"  first screen              {ms(screen)}   (budget 1 s; parse-only process {ms(parse)}, ratio {screen / parse:.1f})")
    else:
        print("tmux not found: the first screen from the command line is not measured")
    app = make_app(str(path), today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        floor = statistics.median([await timed(pilot, "z") for _ in range(9)])  # an unbound key: Pilot's own cost
        days = [await timed(pilot, "right") - floor for _ in range(9)]
        months = [await timed(pilot, "pagedown") - floor for _ in range(5)]
        await pilot.press("tab")
        moves = [await until(pilot, "shift+right", "redraw") for _ in range(3)]
        await pilot.app.workers.wait_for_complete()
        quick = [await until(pilot, "shift+right", "findings_ready") - floor for _ in range(3)]
        await pilot.app.workers.wait_for_complete()
        checks = [await timed(pilot, "shift+right", findings=True) - floor for _ in range(3)]
        save = await timed(pilot, "ctrl+s") - floor
    print(f"headless (120x36); key figures less Pilot's own {ms(floor)} per key:")
    print(f"  move a day                {ms(statistics.median(days))}   (budget 50 ms)")
    print(f"  move a month              {ms(statistics.median(months))}   (budget 50 ms)")
    print(f"  move a post, on screen    {ms(statistics.median(moves))}")
    print(f"  findings on screen        {ms(statistics.median(quick))}   (budget 100 ms)")
    print(f"  whole plan re-checked     {ms(statistics.median(checks))}")
    print(f"  save one edit             {ms(save)}   (budget 150 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("posts", type=int, nargs="?", default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.posts, args.runs))
