"""Nothing from outside gets in: what a repository or a user puts where cadence reads or locks
(a symlink at the lock file's path, a FIFO, a device, a folder, a huge file), through the real
command line. Each is refused in one line that names the file, exit 2, and nothing is written."""

import os

import pytest

from tests.conftest import SAMPLES, hostile_lock, run_cadence
from tests.gitrepo import Repo

UNFORMATTED = (SAMPLES / "kopi-senja.toml").read_text().replace('\ntitle = "', '\ntitle  =  "')
CSV = "date,time_24hr,message_text\n2027-01-19,10:00,An imported post\n"
NOT_REGULAR = "not a regular file (a device, a pipe or a folder)"
TOO_LARGE = "it is 65.0 MiB, over the 64 MiB limit of an input file"

LOCKS = {
    "symlink to a file elsewhere": "is a symbolic link, not a regular file: remove it",
    "dangling symlink": "is a symbolic link, not a regular file: remove it",
    "FIFO": "is a FIFO, not a regular file: remove it",
    "folder": "is a folder, not a regular file: remove it",
    "read-only file": "is read-only (mode 0444): remove it if no save is running",
}


@pytest.mark.parametrize("writer", ["fmt", "import"])
def test_a_writer_never_follows_blocks_on_or_writes_through_the_lock_file(tmp_path, writer):
    for number, kind in enumerate(sorted(LOCKS)):
        folder = tmp_path / str(number)
        folder.mkdir()
        plan, source, lock, elsewhere = folder / "plan.toml", folder / "posts.csv", folder / ".plan.toml.cadence-lock", tmp_path / f"elsewhere-{number}"
        plan.write_text(UNFORMATTED)
        source.write_text(CSV)
        hostile_lock(kind, lock, elsewhere)
        before = elsewhere.read_bytes() if elsewhere.exists() else None
        args = ["fmt", str(plan)] if writer == "fmt" else ["import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip"]
        result = run_cadence(*args)
        assert result.returncode == 2, (kind, result.stderr)
        assert result.stderr == f"cadence: error: {plan}: not saved: its lock file {lock} {LOCKS[kind]}\n", kind
        assert plan.read_text() == UNFORMATTED, kind
        assert (elsewhere.read_bytes() if elsewhere.exists() else None) == before, kind  # nothing made or changed there
        assert sorted(p.name for p in folder.iterdir()) == [".plan.toml.cadence-lock", "plan.toml", "posts.csv"], kind


def test_a_lock_file_symlink_committed_to_the_repository_is_refused(tmp_path):
    outside, root = tmp_path / "outside", tmp_path / "repo"
    outside.mkdir()
    root.mkdir()
    repo = Repo(root)
    repo.write(UNFORMATTED)
    (repo.root / ".content-plan.toml.cadence-lock").symlink_to("../outside/planted")  # as a pull request can commit it
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "a plan, and a link where saves take their lock")
    result = run_cadence("fmt", "content-plan.toml", cwd=repo.root)
    assert result.returncode == 2
    assert result.stderr == "cadence: error: content-plan.toml: not saved: its lock file .content-plan.toml.cadence-lock is a symbolic link, not a regular file: remove it\n"
    assert list(outside.iterdir()) == [] and repo.git("status", "--porcelain").stdout == ""


def hostile_input(kind: str, tmp_path, suffix: str):
    """A path to read that is not a file cadence can read."""
    if kind == "/dev/zero":
        return "/dev/zero"
    path = tmp_path / f"hostile-{kind}{suffix}"
    if kind == "FIFO":
        os.mkfifo(path)  # no writer: opening it for reading the ordinary way would wait forever
    elif kind == "folder":
        path.mkdir()
    elif kind == "oversized":
        with open(path, "wb") as handle:
            handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk, refused by its size before a byte is read
    return str(path)


INPUTS = {"/dev/zero": NOT_REGULAR, "FIFO": NOT_REGULAR, "folder": NOT_REGULAR, "oversized": TOO_LARGE, "missing": "No such file or directory"}


@pytest.mark.parametrize("reader", ["import", "metrics import", "check --baseline", "merge-driver", "the plan"])
def test_every_input_file_is_bounded_and_refused_in_one_line(tmp_path, reader):
    plan = tmp_path / "plan.toml"
    plan.write_text(UNFORMATTED)
    for number, (kind, reason) in enumerate(INPUTS.items()):
        path = hostile_input(kind, tmp_path, ".json" if reader == "check --baseline" else ".csv")  # a missing FILE.json is no revision
        if reader == "import":
            result, expected = run_cadence("import", path, str(plan)), f"cadence: error: {path}: cannot be read: {reason}\n"
        elif reader == "metrics import":
            result, expected = run_cadence("metrics", "import", str(plan), path), f"cadence: error: {path}: cannot be read: {reason}\n"
        elif reader == "check --baseline":
            result, expected = run_cadence("check", str(plan), "--baseline", path), f"cadence: error: --baseline {path}: cannot be read: {reason}\n"
        elif reader == "merge-driver":  # each of the three versions in turn
            which = ("the ancestor's", "our", "their")[number % 3]
            versions = [str(plan)] * 3
            versions[number % 3] = path
            result = run_cadence("merge-driver", *versions, "content-plan.toml")
            expected = f"cadence: error: content-plan.toml: cannot read {which} version {path}: {reason}\n"
        else:
            result = run_cadence("check", path)
            shown = {"folder": "is a directory, not a plan file", "missing": "no such file"}.get(kind, f"cannot be read: {reason}")
            expected = f"{path}:1:1: {shown}\n"
        assert (result.returncode, result.stderr) == (2, expected), kind
        assert plan.read_text() == UNFORMATTED and not (tmp_path / ".cadence").exists()
