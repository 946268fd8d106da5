"""Safe saves: atomic, mode kept, never over a change made on disk, and never torn by a crash."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
import tomli

from planner.planfile import ConflictError, PlanFile, SaveError, lock_path
from tests.conftest import ROOT, hostile_lock


def test_save_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    os.chmod(path, 0o640)
    saved = PlanFile.read(str(path)).save("a = 2\n")
    assert path.read_text() == "a = 2\n"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert not saved.changed_on_disk()
    assert [p.name for p in tmp_path.iterdir()] == ["plan.toml"]  # no temporary file left


def test_a_change_on_disk_is_never_overwritten_even_with_the_same_mtime(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    opened = PlanFile.read(str(path))
    stat = os.stat(path)
    path.write_text("a = 9\n")  # someone else's edit, same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(ConflictError, match="changed on disk"):
        opened.save("a = 2\n")
    assert path.read_text() == "a = 9\n"


def test_save_as_writes_elsewhere_but_not_over_a_file(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    opened = PlanFile.read(str(path))
    copy = opened.save_as(str(tmp_path / "mine.toml"), "a = 2\n")
    assert copy.path.endswith("mine.toml") and (tmp_path / "mine.toml").read_text() == "a = 2\n"
    with pytest.raises(SaveError, match="already exists"):
        opened.save_as(str(path), "a = 3\n")
    assert path.read_text() == "a = 1\n"


WRITER = """
import sys
from planner.planfile import PlanFile
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
texts = [open(old).read(), open(new).read()]
current = PlanFile.read(path).save(texts[1])
print("saved", flush=True)  # the test kills only a writer that has saved,
sys.stdin.readline()  # and looks at the file before the loop starts
number = 1
while True:
    number += 1
    current = current.save(texts[number % 2])
"""


def test_killing_a_saving_process_leaves_the_old_or_the_new_file(tmp_path):
    old = "".join(f'[[post]]\nid = "old-{n}"\ntitle = "{"o" * 200}"\n\n' for n in range(300))
    new = "".join(f'[[post]]\nid = "new-{n}"\ntitle = "{"n" * 200}"\n\n' for n in range(400))
    (tmp_path / "old.toml").write_text(old)
    (tmp_path / "new.toml").write_text(new)
    path = tmp_path / "plan.toml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    moments = random.Random(8)
    for trial in range(30):
        path.write_text(old)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(tmp_path / "old.toml"), str(tmp_path / "new.toml")],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout.readline() == "saved\n", f"the writer never saved in trial {trial}"
        assert path.read_text() == new  # its first save changed the file
        writer.stdin.write("go\n")
        writer.stdin.flush()
        time.sleep(moments.random() * 0.1)  # a kill from right after that save to deep in the save loop
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
        content = path.read_text()
        assert content in (old, new), f"torn file after trial {trial}"
        tomli.loads(content)
    PlanFile.read(str(path)).save(old)  # the next save clears what killed saves left, at once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.toml", "old.toml", "plan.toml"]


def test_update_applies_its_edit_to_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    opened = PlanFile.read(str(path))
    path.write_text("a = 1\nb = 2\n")  # someone else's addition
    saved = opened.update(lambda text: text + "c = 3\n")
    assert path.read_text() == "a = 1\nb = 2\nc = 3\n" == saved.text
    assert not saved.changed_on_disk()


def test_update_refuses_when_its_edit_no_longer_applies(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    opened = PlanFile.read(str(path))
    path.write_text("b = 2\n")

    def change_a(text: str) -> str:
        if "a = 1" not in text:
            raise ValueError("no value a")
        return text.replace("a = 1", "a = 5")

    with pytest.raises(ConflictError, match=r"the edit no longer applies \(no value a\)"):
        opened.update(change_a)
    assert path.read_text() == "b = 2\n"


def test_a_read_only_plan_is_refused_and_kept(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    os.chmod(path, 0o444)
    with pytest.raises(SaveError, match=r"plan.toml: not saved: the plan is read-only \(mode 0444\)") as refused:
        PlanFile.read(str(path)).save("a = 2\n")
    assert refused.value.strerror == "the plan is read-only (mode 0444)"  # for a message that names the file itself
    assert path.read_text() == "a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_a_symlinked_plan_is_saved_through_the_link(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "plan.toml"
    target.write_text("a = 1\n")
    os.chmod(target, 0o600)
    link = tmp_path / "plan.toml"
    link.symlink_to(target)
    PlanFile.read(str(link)).save("a = 2\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "a = 2\n" and os.stat(target).st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_owner_and_group_are_kept(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    os.chown(path, 65534, 65534)
    PlanFile.read(str(path)).save("a = 2\n")
    assert (os.stat(path).st_uid, os.stat(path).st_gid) == (65534, 65534)


def test_the_lock_file_and_the_temporaries_of_killed_saves_are_gone_after_a_save(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    (tmp_path / ".plan.toml.k1ll3d_0.tmp").write_text("half a sa")  # a save killed a second ago
    (tmp_path / ".plan.toml.x.k1ll3d_0.tmp").write_text("x")  # another plan's, named plan.toml.x
    open(lock_path(str(path)), "w").close()  # left by a save killed while holding the lock
    PlanFile.read(str(path)).save("a = 2\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".plan.toml.x.k1ll3d_0.tmp", "plan.toml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_read_only_folder_fails_the_save_with_one_line(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(SaveError, match=r"plan.toml: not saved: permission denied .*; the plan on disk is unchanged$"):
            PlanFile.read(str(path)).save("a = 2\n")
    finally:
        os.chmod(tmp_path, 0o755)
    assert path.read_text() == "a = 1\n" and sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


SAVE_ONCE = """
import sys
from planner.planfile import PlanFile, SaveError
try:
    PlanFile.read(sys.argv[1]).save(sys.argv[2])
except SaveError as error:
    sys.exit(str(error))
"""


def _in_a_small_mount(folder, setup: str, *args: str) -> subprocess.CompletedProcess:
    """SAVE_ONCE on a 16 KiB tmpfs mounted on ``folder`` in a private mount namespace."""
    mounted = f"mount -t tmpfs -o size=16k tmpfs {folder} && printf 'a = 1\\n' > {folder}/plan.toml && {setup}"
    script = f'{mounted} && "$0" -c "$1" "$2" "$3"; status=$?; cat {folder}/plan.toml; ls -A {folder}; exit $status'
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, sys.executable, SAVE_ONCE, f"{folder}/plan.toml", *args],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)


def _mounts_allowed() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not _mounts_allowed(), reason="needs unshare -rm (user and mount namespaces)")
def test_a_full_disk_or_a_read_only_mount_fails_the_save_with_one_line(tmp_path):
    full = _in_a_small_mount(tmp_path, "true", "a = 2\n" * 4000)
    assert full.returncode == 1 and full.stderr == f"{tmp_path}/plan.toml: not saved: No space left on device; the plan on disk is unchanged\n"
    assert full.stdout == "a = 1\nplan.toml\n"  # the plan as it was, no temporary, no lock file
    read_only = _in_a_small_mount(tmp_path, f"mount -o remount,ro {tmp_path}", "a = 2\n")
    assert read_only.returncode == 1
    assert read_only.stderr == f"{tmp_path}/plan.toml: not saved: the file system is read-only; the plan on disk is unchanged\n"
    assert read_only.stdout == "a = 1\nplan.toml\n"


FULL_DISK = """
import resource, signal, sys
from planner.planfile import PlanFile, SaveError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))  # writes past 1000 bytes fail, as on a full disk
try:
    PlanFile.read(sys.argv[1]).save("a = 2\\n" * 1000)
except SaveError as error:
    sys.exit(str(error))
"""


def test_a_write_that_fails_midway_leaves_the_plan_and_no_temporary(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    result = subprocess.run([sys.executable, "-c", FULL_DISK, str(path)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr == f"{path}: not saved: File too large; the plan on disk is unchanged\n"
    assert path.read_text() == "a = 1\n" and sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


ADDER = """
import sys
from planner.planfile import ConflictError, PlanFile
path, name, mode = sys.argv[1], sys.argv[2], sys.argv[3]
for number in range(100):
    line = f"{name}_{number} = {number}\\n"
    if mode == "update":
        PlanFile.read(path).update(lambda text: text + line)
    else:
        while True:  # save refuses a changed file: read again and redo the edit
            current = PlanFile.read(path)
            try:
                current.save(current.text + line)
                break
            except ConflictError:
                pass
    print(line, end="", flush=True)  # reported done
"""


def test_four_processes_saving_at_once_lose_no_save(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("# shared\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", ADDER, str(path), f"w{n}", ("update", "save")[n % 2]],
                                env=env, stdout=subprocess.PIPE, text=True) for n in range(4)]
    reported = []
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        reported += out.splitlines()
    assert len(reported) == 400
    saved = path.read_text().splitlines()
    assert sorted(saved[1:]) == sorted(reported)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_a_hard_linked_plan_is_replaced_and_its_other_names_keep_the_old_text(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    other = tmp_path / "other-name.toml"
    os.link(path, other)
    PlanFile.read(str(path)).save("a = 2\n")
    assert path.read_text() == "a = 2\n" and other.read_text() == "a = 1\n"  # as docs/editing.md says
    assert os.stat(path).st_nlink == 1


def test_a_change_made_while_the_edit_runs_is_never_overwritten(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")

    def edit_while_git_checks_out(text: str) -> str:  # a long validation under the lock, and a checkout meanwhile
        path.write_text("a = 1\ncheckout = true\n")
        return text + "b = 2\n"

    with pytest.raises(ConflictError, match=r"plan.toml changed on disk while it was being saved; nothing was written, and the change on disk is kept$"):
        PlanFile.read(str(path)).update(edit_while_git_checks_out)
    assert path.read_text() == "a = 1\ncheckout = true\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]  # no temporary, no lock file


@pytest.mark.parametrize("how", ["save", "update"])
def test_the_last_check_comes_after_the_new_bytes_are_on_disk_just_before_the_replace(tmp_path, monkeypatch, how):
    import planner.planfile as planfile

    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    real_fsync = os.fsync

    def fsync_then_an_editor_saves(descriptor):  # the slowest step of a save, and an editor's save meanwhile
        real_fsync(descriptor)
        if os.readlink(f"/proc/self/fd/{descriptor}").endswith(".tmp"):
            path.write_text("a = 1\n# saved by an editor\n")

    monkeypatch.setattr(planfile.os, "fsync", fsync_then_an_editor_saves)
    opened = PlanFile.read(str(path))
    with pytest.raises(ConflictError, match="while it was being saved"):
        opened.save("b = 2\n") if how == "save" else opened.update(lambda text: text + "b = 2\n")
    assert path.read_text() == "a = 1\n# saved by an editor\n" and sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_a_write_landing_after_the_last_comparison_of_bytes_is_seen_too(tmp_path, monkeypatch):
    import planner.planfile as planfile

    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    real_read, reads = planfile._current_bytes, []

    def read_then_a_write_lands(target):
        data = real_read(target)
        reads.append(target)
        if len(reads) == 2:  # the last check's read: a write lands right after it, in the same second
            path.write_text("a = 7\n")
        return data

    monkeypatch.setattr(planfile, "_current_bytes", read_then_a_write_lands)
    with pytest.raises(ConflictError, match="while it was being saved"):
        PlanFile.read(str(path)).save("b = 2\n")
    assert len(reads) == 2 and path.read_text() == "a = 7\n"


def test_save_as_refuses_a_file_made_while_the_edit_runs(tmp_path):
    path = tmp_path / "new.toml"

    def made_meanwhile(text: str) -> str:
        path.write_text("theirs = 1\n")
        return text

    with pytest.raises(SaveError, match="new.toml: not saved: the file already exists"):
        PlanFile(str(path), "", None)._commit(made_meanwhile, reapply=False)
    assert path.read_text() == "theirs = 1\n"


LOCKS = {
    "symlink to a file elsewhere": "is a symbolic link, not a regular file: remove it",
    "dangling symlink": "is a symbolic link, not a regular file: remove it",
    "FIFO": "is a FIFO, not a regular file: remove it",
    "folder": "is a folder, not a regular file: remove it",
    "read-only file": "is read-only (mode 0444): remove it if no save is running",
}


@pytest.mark.parametrize("kind", sorted(LOCKS))
def test_the_lock_file_is_never_followed_and_must_be_a_writable_regular_file(tmp_path, kind):
    (tmp_path / "repo").mkdir()
    path = tmp_path / "repo" / "plan.toml"
    path.write_text("a = 1\n")
    lock, elsewhere = tmp_path / "repo" / ".plan.toml.cadence-lock", tmp_path / "elsewhere"
    hostile_lock(kind, lock, elsewhere)
    before = elsewhere.read_bytes() if elsewhere.exists() else None
    with pytest.raises(SaveError) as refused:
        PlanFile.read(str(path)).save("a = 2\n")
    assert str(refused.value) == f"{path}: not saved: its lock file {lock} {LOCKS[kind]}"
    assert path.read_text() == "a = 1\n"
    assert (elsewhere.read_bytes() if elsewhere.exists() else None) == before  # nothing made or changed there
    assert sorted(p.name for p in (tmp_path / "repo").iterdir()) == [".plan.toml.cadence-lock", "plan.toml"]


def test_a_save_over_the_input_limit_is_refused(tmp_path, monkeypatch):
    import planner.planfile as planfile

    monkeypatch.setattr(planfile, "MAX_INPUT_MIB", 1)
    monkeypatch.setattr(planfile, "MAX_INPUT_BYTES", 1024 * 1024)
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    with pytest.raises(SaveError, match=r"plan.toml: not saved: it would be 2.0 MiB, over the 1 MiB limit of an input file$"):
        PlanFile.read(str(path)).save("a = 2\n" * (1024 * 1024 // 3))
    assert path.read_text() == "a = 1\n"


def test_the_lock_of_a_symlinked_plan_is_beside_its_target_and_named_so(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "plan.toml"
    target.write_text("a = 1\n")
    link = tmp_path / "plan.toml"
    link.symlink_to(target)
    os.mkfifo(tmp_path / "dotfiles" / ".plan.toml.cadence-lock")
    with pytest.raises(SaveError) as refused:
        PlanFile.read(str(link)).save("a = 2\n")
    assert str(refused.value) == f"{link}: not saved: its lock file {tmp_path}/dotfiles/.plan.toml.cadence-lock is a FIFO, not a regular file: remove it"


def test_a_save_waiting_for_a_held_lock_gives_up_naming_the_lock_file(tmp_path, monkeypatch):
    import fcntl

    import planner.planfile as planfile

    monkeypatch.setattr(planfile, "LOCK_TIMEOUT_SECONDS", 0.0)  # 30 s in use
    path = tmp_path / "plan.toml"
    path.write_text("a = 1\n")
    lock = tmp_path / ".plan.toml.cadence-lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another save, hung
        with pytest.raises(SaveError) as refused:
            PlanFile.read(str(path)).save("a = 2\n")
    assert str(refused.value) == f"{path}: not saved: another save has held its lock file {lock} for 0 s"
    assert path.read_text() == "a = 1\n"
