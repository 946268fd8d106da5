"""Writers racing on one plan: `fmt` and `import` at once lose nothing, whichever saves first."""

import subprocess
import sys
from datetime import datetime, timedelta

import pytest
import tomli

from calendar_tui.cli import main
from tests.conftest import ROOT, SAMPLES, post_toml, run_cadence

CSV = "date,time_24hr,message_text\n2027-01-19,10:00,Racing import one\n2027-01-20,19:30,Racing import two\n"
IMPORTED = {"tt-20270119-racing-import-one", "tt-20270120-racing-import-two"}


def big_unformatted_plan(tmp_path, posts: int = 2000):
    """The sample plan with many more posts, latest first, so that `fmt` has the whole file to rewrite."""
    first = datetime(2027, 1, 4, 6, 0)
    extra = "".join(post_toml(f"bulk-{n:05d}", (first + timedelta(minutes=17 * n)).isoformat(), status='"idea"')
                    for n in reversed(range(posts)))
    plan = tmp_path / "plan.toml"
    plan.write_text((SAMPLES / "kopi-senja.toml").read_text() + "\n" + extra)
    source = tmp_path / "posts.csv"
    source.write_text(CSV)
    return plan, source


def import_command(plan, source) -> list[str]:
    return [sys.executable, "-m", "calendar_tui", "import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip"]


def post_ids(plan) -> set[str]:
    return {post["id"] for post in tomli.loads(plan.read_text())["post"]}


def test_an_import_landing_while_fmt_formats_is_kept(tmp_path, monkeypatch, capsys):
    plan, source = big_unformatted_plan(tmp_path, posts=300)
    import planner.formatter

    layout = planner.formatter.layout
    imported = []

    def layout_while_importing(text: str, data: dict):
        if not imported:  # fmt has read the plan; the import saves before fmt does
            imported.append(subprocess.run(import_command(plan, source), cwd=ROOT, capture_output=True, text=True, timeout=60))
        return layout(text, data)

    monkeypatch.setattr(planner.formatter, "layout", layout_while_importing)
    assert main(["fmt", str(plan)]) == 0
    assert imported[0].returncode == 0, imported[0].stderr
    assert IMPORTED <= post_ids(plan) and len(post_ids(plan)) == 24 + 300 + 2
    monkeypatch.undo()
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0


@pytest.mark.parametrize("trial", range(3))
def test_fmt_and_import_started_together_both_land(tmp_path, trial):
    plan, source = big_unformatted_plan(tmp_path)
    fmt = subprocess.Popen([sys.executable, "-m", "calendar_tui", "fmt", str(plan)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    importer = subprocess.Popen(import_command(plan, source), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for process in (fmt, importer):
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert IMPORTED <= post_ids(plan) and len(post_ids(plan)) == 24 + 2000 + 2
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml", "posts.csv"]


def test_a_git_checkout_while_an_import_validates_its_result_is_not_reverted(tmp_path, monkeypatch, capsys):
    import os

    import calendar_tui.usecases.plans
    from planner.planfile import lock_path
    from tests.gitrepo import Repo

    repo = Repo(tmp_path)
    ours = (SAMPLES / "kopi-senja.toml").read_text()
    plan = repo.write(ours)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "ours")
    repo.git("checkout", "-q", "-b", "other")
    theirs = repo.write(ours.replace("Kopi Senja — January 2027", "Kopi Senja — the other branch")).read_text()
    repo.git("commit", "-q", "-am", "theirs")
    repo.git("checkout", "-q", "main")
    (tmp_path / "posts.csv").write_text(CSV)
    validate, checkouts = calendar_tui.usecases.plans.plan_from_text, []

    def validate_while_git_checks_out(text, path, vocabulary=None):  # the import's last validation, under the lock
        if os.path.exists(lock_path(str(plan))) and not checkouts:
            checkouts.append(repo.git("checkout", "-q", "other"))  # git takes no lock of ours
        return validate(text, path, vocabulary)

    monkeypatch.setattr(calendar_tui.usecases.plans, "plan_from_text", validate_while_git_checks_out)  # every writer's check
    assert main(["import", str(tmp_path / "posts.csv"), str(plan), "--channel", "tiktok", "--kind", "tip"]) == 2
    assert len(checkouts) == 1
    assert capsys.readouterr().err == f"cadence: error: {plan} changed on disk while it was being saved; nothing was written, and the change on disk is kept\n"
    assert plan.read_text() == theirs and repo.git("status", "--porcelain").stdout == "?? posts.csv\n"
