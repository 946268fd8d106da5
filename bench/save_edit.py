"""Time saving one edit to a large plan, as the app does it: `python bench/save_edit.py [POSTS]`.

The plan is already read (the app holds its text); the figure is applying one ChangePost
through the writer and saving it atomically with the conflict check, median of several runs.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

from planner.planfile import PlanFile  # noqa: E402
from planner.writer import ChangePost, PlanText  # noqa: E402


def main() -> None:
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    folder = Path(tempfile.mkdtemp())
    path = folder / "plan.toml"
    path.write_text(generate(posts, 20, 3), encoding="utf-8")
    timings = []
    for run in range(9):
        planfile = PlanFile.read(str(path))
        target = f"p{(run * 997) % posts:06d}"  # a post somewhere in the file
        started = time.perf_counter()
        text = PlanText(planfile.text).apply(ChangePost(target, {"title": f"Edited {run}", "status": "review"}))
        planfile.save(text)
        timings.append(time.perf_counter() - started)
    shutil.rmtree(folder)
    print(f"save one edit to a {posts}-post plan: median {statistics.median(timings) * 1000:.0f} ms "
          f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}, {len(timings)} runs); budget 150 ms")


if __name__ == "__main__":
    main()
