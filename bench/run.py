"""Time `cadence check` as whole processes, against a process that only parses with tomli.

    python bench/run.py [--runs 7] [--sizes 1000 10000 100000]

Each measurement is the median of several runs; the check and its parse-only baseline run
alternately, side by side, so a busy machine slows both alike. Prints a table and the ratios
the budgets in DESIGN.md are stated in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def paired(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    wall(first), wall(second)  # warm the file cache and the bytecode
    a, b = [], []
    for _ in range(runs):
        a.append(wall(first))
        b.append(wall(second))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    python = sys.executable
    check = [python, "-m", "calendar_tui", "check", "--today", "2027-01-01"]

    print(f"python: {sys.version.split()[0]}, runs per figure: {args.runs} (median)")
    sample = str(ROOT / "sample_plans" / "kopi-senja.toml")
    bare, sample_check = paired([python, "-c", "pass"], check + [sample], args.runs)
    print(f"sample plan check: {sample_check * 1000:.0f} ms wall (bare interpreter: {bare * 1000:.0f} ms); budget 150 ms")

    print(f"\n{'posts':>8} {'file MB':>8} {'parse-only s':>13} {'check s':>9} {'ratio':>6}")
    checks = {}
    for size in args.sizes:
        path = OUT / f"plan-{size}.toml"
        if not path.exists():
            path.write_text(generate(size, args.channels, args.years), encoding="utf-8")
        parse, full = paired([python, "-c", PARSE_ONLY, str(path)], check + [str(path)], args.runs)
        checks[size] = full
        print(f"{size:>8} {path.stat().st_size / 1e6:>8.1f} {parse:>13.3f} {full:>9.3f} {full / parse:>6.2f}")
    print("\nbudget: the 10,000-post ratio at most 1.5")
    if 10000 in checks and 100000 in checks:
        print(f"growth: 100k / 10k check time = {checks[100000] / checks[10000]:.1f}x (linear is about 10x)")


if __name__ == "__main__":
    main()
