"""Time `cadence diff` of two versions of a 10,000-post plan against `cadence check` on one.

    python bench/diff_bench.py [--runs 7] [--size 10000]

The new version is the generated plan with a pull request's worth of edits (posts moved,
retitled, added and deleted through the plan writer). Three whole processes, side by side,
medians: parse-only (tomli), `cadence check` on the new version, `cadence diff OLD NEW`
(two files) and `cadence diff REV` (a git revision against the working tree). The budget:
diff under 2x check.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import OUT, PARSE_ONLY, paired, plan_file  # noqa: E402

from planner.writer import AddPost, ChangePost, DeletePost, apply_edits  # noqa: E402


def edited(text: str, size: int) -> str:
    import tomli

    posts = tomli.loads(text)["post"]
    edits = []
    for n in range(0, size, size // 20):  # 20 moved a day later, 20 retitled, 10 deleted, 10 added
        post = posts[n]
        edits.append(ChangePost(post["id"], {"at": post["at"] + timedelta(days=1)}))
        edits.append(ChangePost(posts[n + 1]["id"], {"title": f"Retitled {n}"}))
        if n % (size // 10) == 0:
            edits.append(DeletePost(posts[n + 2]["id"]))
            edits.append(AddPost({**{k: v for k, v in post.items() if k != "id"}, "id": f"added-{n}", "title": f"Added {n}"}))
    return apply_edits(text, edits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    old = plan_file(args.size, 20, 3)
    repo = OUT / f"diff-repo-{args.size}"
    new = repo / "content-plan.toml"
    if not new.exists():
        repo.mkdir()
        git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run([*git, "init", "-q"], check=True)
        new.write_text(old.read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run([*git, "add", "content-plan.toml"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "old"], check=True)
        new.write_text(edited(old.read_text(encoding="utf-8"), args.size), encoding="utf-8")
    python = sys.executable
    cadence = [python, "-m", "calendar_tui"]
    today = ["--today", "2027-01-01"]
    parse, check = paired([python, "-c", PARSE_ONLY, str(new)], [*cadence, "check", *today, str(new)], args.runs)
    files, check_again = paired([*cadence, "diff", *today, str(old), str(new)], [*cadence, "check", *today, str(new)], args.runs)
    revision, check_third = paired([*cadence, "diff", *today, "HEAD", "--plan", str(new)], [*cadence, "check", *today, str(new)], args.runs)
    print(f"{args.size} posts, {args.runs} runs per figure (median); noisy when other work shares the machine")
    print(f"parse-only {parse:.3f} s   check {check:.3f} s ({check / parse:.2f}x parse)")
    print(f"diff OLD NEW (files)      {files:.3f} s = {files / check_again:.2f}x check (budget 2x)")
    print(f"diff HEAD (working tree)  {revision:.3f} s = {revision / check_third:.2f}x check (budget 2x)")


if __name__ == "__main__":
    main()
