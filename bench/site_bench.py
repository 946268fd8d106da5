"""Time `cadence export --to html` as whole processes against `cadence check` on the same plan,
and a month page's load in Chromium.

    python bench/site_bench.py [--runs 5] [--size 10000]

The plan is bench/generate.py's dense plan (20 channels, 3 years), as bench/run.py makes it.
Export and check run alternately, side by side, so a busy machine slows both alike; each figure
is the median of the runs, in wall time and in processor time. The page load is the median, over as many fresh tabs, of the time from
navigation to the end of the load event (the page's script has run), as the browser counts it,
in the system Chromium (/usr/bin/chromium) driven by Playwright.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ENV, OUT, ROOT, paired, plan_file  # noqa: E402

TODAY = "2027-06-15"
ARGUMENTS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def cpu(command: list[str]) -> float:
    """The processor time (user and system) one run of ``command`` takes: on a machine others
    share, steadier than the wall time, which counts the time spent waiting for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def page_load_ms(page_path: Path, runs: int) -> float:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGUMENTS)
        for _ in range(runs + 1):  # the first load only warms the browser
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_path.as_uri(), wait_until="load")
            times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            page.close()
        browser.close()
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    plan = str(plan_file(args.size, 20, 3))
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        check = [python, "-m", "calendar_tui", "check", plan, "--today", TODAY]
        export = [python, "-m", "calendar_tui", "export", plan, "--to", "html", "-o", folder, "--today", TODAY]
        checked, exported = paired(check, export, args.runs)
        checked_cpu, exported_cpu = paired(lambda: cpu(check), lambda: cpu(export), args.runs)
        pages = sorted(Path(folder).glob("*.html"))
        month = Path(folder) / f"{TODAY[:7]}.html"
        print(f"plan: {args.size} posts, 20 channels, 3 years; runs per figure: {args.runs} (median)")
        print(f"{'':26}{'wall s':>8}{'cpu s':>8}")
        print(f"{'cadence check':26}{checked:8.2f}{checked_cpu:8.2f}")
        print(f"{'cadence export --to html':26}{exported:8.2f}{exported_cpu:8.2f}")
        print(f"export/check: {exported / checked:.2f}× wall, {exported_cpu / checked_cpu:.2f}× cpu; {len(pages)} pages, "
              f"{sum(page.stat().st_size for page in pages) / 1e6:.1f} MB")
        print(f"month page {month.name} ({month.stat().st_size / 1e3:.0f} kB) loads in Chromium in {page_load_ms(month, args.runs):.0f} ms")


if __name__ == "__main__":
    main()
