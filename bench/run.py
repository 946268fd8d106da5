"""Time `cadence check` as whole processes, against a process that only parses with tomli.

    python bench/run.py [--runs 7] [--sizes 1000 10000 100000] [--sparse 10000] [--clock wall|cpu]

Each measurement is the median of several runs; the check and its parse-only baseline run
alternately, side by side, so a busy machine slows both alike (`--clock cpu` times each by its
processor time, steadier still on a shared machine). Prints a table and the ratios
the budgets in bench/README.md are stated in:

- the sample plan's check, wall time with interpreter start (budget 100 ms);
- dense plans (bench/generate.py's default) of each size, text output;
- a sparse plan (40% of the slots filled: about 15,000 findings at 10,000 posts) with
  ``--format json`` (the output discarded, as every figure's is);
- peak memory (the child's own ru_maxrss) of the check against the parse-only process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PARSE_ONLY = "import sys, tomli; tomli.loads(open(sys.argv[1], encoding='utf-8').read())"


# Users run with compiled bytecode (pip writes it on install); the warm-up run writes it here.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def cpu(command: list[str]) -> float:
    """The processor time (user and system) of one run of ``command``: on a machine shared with
    other jobs, steadier than the wall time, which also counts the waits for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


CLOCKS = {"wall": wall, "cpu": cpu}
clock = wall  # what paired() times commands with; bench/run.py --clock cpu changes it


# A child's ru_maxrss starts at its parent's peak (Linux keeps it across fork and exec), and
# this process holds the generated plans: a small wrapper runs the command and reports its own
# child's peak.
PEAK_OF_CHILD = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_kb(command: list[str]) -> int:
    """The peak resident memory of one run of ``command``, in kB."""
    report = subprocess.run([sys.executable, "-c", PEAK_OF_CHILD, *command], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True)
    return int(report.stdout)


def plan_file(size: int, channels: int, years: int, fill: float = 0.99) -> Path:
    """The generated plan of this shape, written once under bench/out."""
    shape = "" if fill == 0.99 else f"-fill{fill:g}"
    path = OUT / f"plan-{size}{shape}.toml"
    if not path.exists():
        path.write_text(generate(size, channels, years, fill=fill), encoding="utf-8")
    return path


def paired(first: list[str] | Callable[[], float], second: list[str] | Callable[[], float], runs: int) -> tuple[float, float]:
    """Medians of two measurements taken alternately: commands (timed by :data:`clock`) or
    callables that return their own seconds. The first round only warms caches and bytecode."""
    time_first, time_second = (what if callable(what) else lambda what=what: clock(what) for what in (first, second))
    time_first(), time_second()
    a, b = [], []
    for _ in range(runs):
        a.append(time_first())
        b.append(time_second())
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000], help="dense plans (text output)")
    parser.add_argument("--sparse", type=int, nargs="*", default=[10000], help="sparse plans (json output)")
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--clock", choices=CLOCKS, default="wall", help="time whole processes by the wall or by their processor time")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    OUT.mkdir(exist_ok=True)
    python = sys.executable
    check = [python, "-m", "calendar_tui", "check", "--today", "2027-01-01"]

    print(f"python: {sys.version.split()[0]}, runs per figure: {args.runs} (median), {args.clock} time")
    sample = str(ROOT / "sample_plans" / "kopi-senja.toml")
    bare, sample_check = paired([python, "-c", "pass"], check + [sample], args.runs)
    print(f"sample plan check: {sample_check * 1000:.0f} ms {args.clock} (bare interpreter: {bare * 1000:.0f} ms); budget 100 ms")

    print(f"\n{'plan':>14} {'file MB':>8} {'parse-only s':>13} {'check s':>9} {'ratio':>6} {'peak MB':>8} {'tomli MB':>9} {'mem ratio':>9}")
    rows = [(f"{size} dense", plan_file(size, args.channels, args.years), []) for size in args.sizes]
    rows += [(f"{size} sparse", plan_file(size, args.channels, args.years, fill=0.4), ["--format", "json"]) for size in args.sparse]
    checks = {}
    for label, path, extra in rows:
        parse_only = [python, "-c", PARSE_ONLY, str(path)]
        full = check + extra + [str(path)]
        parse, checked = paired(parse_only, full, args.runs)
        checks[label] = checked
        memory, floor = peak_kb(full) / 1024, peak_kb(parse_only) / 1024
        print(f"{label:>14} {path.stat().st_size / 1e6:>8.1f} {parse:>13.3f} {checked:>9.3f} {checked / parse:>6.2f}"
              f" {memory:>8.0f} {floor:>9.0f} {memory / floor:>9.2f}")
    print("\nbudgets: 10,000 dense at most 2x; 10,000 sparse (json) at most 3.5x; 100,000 at most 2.5x; memory at most 1.5x")
    if "10000 dense" in checks and "100000 dense" in checks:
        print(f"growth: 100k / 10k check time = {checks['100000 dense'] / checks['10000 dense']:.1f}x (linear is about 10x)")


if __name__ == "__main__":
    main()
