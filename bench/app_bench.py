"""Time the app on a large plan, headless through Pilot: `python bench/app_bench.py [POSTS]`.

Figures (medians where repeated): the first screen, moving a day and a month, moving a post
(on screen at once; the findings re-checked in a worker), and saving. Each key's figure is
less the time Pilot takes for a key the app ignores, measured in the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

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
    """Seconds from the key to the app's ``method`` first returning (e.g. the redraw after an edit)."""
    app = pilot.app
    original, marks = getattr(app, method), []

    def recording(*args) -> None:
        original(*args)
        marks.append(time.perf_counter())

    setattr(app, method, recording)
    started = time.perf_counter()
    await pilot.press(key)
    await app.workers.wait_for_complete()
    await pilot.pause()
    setattr(app, method, original)
    return marks[0] - started


async def main(posts: int) -> None:
    path = Path(tempfile.mkdtemp()) / "plan.toml"
    path.write_text(generate(posts, 20, 3), encoding="utf-8")
    started = time.perf_counter()
    app = make_app(str(path), today=date(2028, 6, 14))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        first_screen = time.perf_counter() - started
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
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    print(f"app on a {posts}-post plan (120x36, headless); key figures less Pilot's own {ms(floor)} per key:")
    print(f"  first screen              {ms(first_screen)}   (budget 1 s)")
    print(f"  move a day                {ms(statistics.median(days))}   (budget 50 ms)")
    print(f"  move a month              {ms(statistics.median(months))}   (budget 50 ms)")
    print(f"  move a post, on screen    {ms(statistics.median(moves))}")
    print(f"  findings on screen        {ms(statistics.median(quick))}   (budget 100 ms)")
    print(f"  whole plan re-checked     {ms(statistics.median(checks))}")
    print(f"  save one edit             {ms(save)}   (budget 150 ms)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000))
