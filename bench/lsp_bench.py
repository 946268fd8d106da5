"""Time `cadence lsp` from an edit to its diagnostics, as an editor sees it: `python bench/lsp_bench.py [--edits 9]`.

The real server runs as a process; a client (pygls's) opens each plan, waits for its first
diagnostics, then sends one keystroke-sized edit at a time (a post's title in the middle of the
file, incremental sync) and times each until the diagnostics of that version arrive; after an
edit of one post the server sends the days around it first (of a plan with many findings,
those nearest the edit: "sent first") and the whole plan's findings when done, and both
times are given. The figure
includes the server's wait for the typing to pause (as long as its last check took, 20-150 ms).
The server's CPU time for each edit (from /proc, in 10 ms ticks) is given too, up to the first
diagnostics and in all: on a machine shared with other jobs, wall time measures the neighbours
as much as the server. Figures are medians. The last column times a check
of the whole text in this process (analysis.analyse without the previous text), for comparison.

Plans: the sample plans, and bench/generate.py's 10,000-post plan (dense, and sparse: 40% of
the slots filled, so about 15,000 findings with backlog suggestions). Budgets: 100 ms for a
sample plan, one second for the 10,000-post plan.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from calendar_tui.lsp.analysis import analyse  # noqa: E402

OUT = HERE / "out"
TODAY = "2027-06-01"


def plans() -> list[tuple[str, Path]]:
    OUT.mkdir(exist_ok=True)
    found = [(f"sample {path.stem}", path) for path in sorted((ROOT / "sample_plans").glob("*.toml"))]
    for label, fill in (("10,000 posts, dense", 0.99), ("10,000 posts, sparse", 0.4)):
        path = OUT / f"lsp-10000-{fill:g}.toml"
        if not path.exists():
            path.write_text(generate(10000, 20, 3, fill=fill), encoding="utf-8")
        found.append((label, path))
    return found


class Timer:
    """The client's side: when each version's diagnostics arrived."""

    def __init__(self) -> None:
        self.client = LanguageClient("lsp-bench", "1")
        self.arrived: dict[tuple[str, int], list[tuple[float, int]]] = {}
        self.waiting: dict[tuple[str, int], asyncio.Event] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            key = (params.uri, params.version)
            self.arrived.setdefault(key, []).append((time.perf_counter(), len(params.diagnostics)))
            self.waiting.setdefault(key, asyncio.Event()).set()

    async def until(self, uri: str, version: int) -> tuple[float, int]:
        """When the first diagnostics of this version arrived, and how many."""
        await asyncio.wait_for(self.waiting.setdefault((uri, version), asyncio.Event()).wait(), 60)
        return self.arrived[uri, version][0]


async def idle(pid: int) -> None:
    """Until the server has used no CPU for a quarter second: its checks of the last edit are done."""
    used = -1.0
    while used != (used := cpu_seconds(pid)):
        await asyncio.sleep(0.25)


def cpu_seconds(pid: int) -> float:
    """The user and system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def middle_title(text: str) -> tuple[int, int]:
    """The line and column just inside the quotes of the title nearest the middle of the text."""
    lines = text.split("\n")
    for number in range(len(lines) // 2, len(lines)):
        if lines[number].startswith('title = "'):
            return number, len('title = "')
    raise SystemExit("no title to edit")


async def measure(edits: int) -> None:
    timer = Timer()
    await timer.client.start_io(sys.executable, "-m", "calendar_tui", "lsp", "--today", TODAY)
    await timer.client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    timer.client.initialized(types.InitializedParams())
    pid = timer.client._server.pid
    print(f"{'plan':<28} {'findings':>8} {'sent first':>10}  {'edit -> first diagnostics':>25}  {'-> all':>7}  {'server CPU: first, all':>22}  {'whole check':>11}")
    for label, path in plans():
        text = path.read_text(encoding="utf-8")
        uri = path.resolve().as_uri()
        timer.client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "toml", 1, text)))
        _, count = await timer.until(uri, 1)
        line, column = middle_title(text)
        timings, completed, first_cpu, cpu = [], [], [], []
        for version in range(2, edits + 2):
            await idle(pid)  # the user paused: nothing is pending on the server
            change = types.TextDocumentContentChangePartial(types.Range(types.Position(line, column), types.Position(line, column)), "x")
            started, used = time.perf_counter(), cpu_seconds(pid)
            timer.client.text_document_did_change(types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(version, uri), [change]))
            arrived, _ = await timer.until(uri, version)
            first_cpu.append(cpu_seconds(pid) - used)
            await idle(pid)
            timings.append(arrived - started)
            (_, first_count), (done, count) = timer.arrived[uri, version][0], timer.arrived[uri, version][-1]
            completed.append(done - started)
            cpu.append(cpu_seconds(pid) - used)
        alone = []
        for _ in range(3):
            started = time.perf_counter()
            analyse(text, str(path), date.fromisoformat(TODAY))
            alone.append(time.perf_counter() - started)
        print(
            f"{label:<28} {count:>8} {first_count:>10}  {statistics.median(timings) * 1000:>6.0f} ms (max {max(timings) * 1000:>5.0f} ms)"
            f"  {statistics.median(completed) * 1000:>4.0f} ms  {statistics.median(first_cpu) * 1000:>11.0f} ms, {statistics.median(cpu) * 1000:>4.0f} ms"
            f"  {statistics.median(alone) * 1000:>8.0f} ms"
        )
        timer.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await timer.client.shutdown_async(None)
    timer.client.exit(None)
    await timer.client.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=9, help="edits timed per plan (default 9)")
    asyncio.run(measure(parser.parse_args().edits))


if __name__ == "__main__":
    main()
