"""Safe saves: atomic, mode kept, never over a change made on disk, and never torn by a crash."""

import os
import signal
import subprocess
import sys
import time

import pytest
import tomli

from planner.planfile import ConflictError, PlanFile
from tests.conftest import ROOT


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
    with pytest.raises(FileExistsError):
        opened.save_as(str(path), "a = 3\n")


WRITER = """
import sys
from planner.planfile import PlanFile
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
texts = [open(old).read(), open(new).read()]
current = PlanFile.read(path)
number = 0
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
    path.write_text(old)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for trial in range(40):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(tmp_path / "old.toml"), str(tmp_path / "new.toml")], env=env)
        time.sleep(0.05 + (trial % 10) * 0.013)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        content = path.read_text()
        assert content in (old, new), f"torn file after trial {trial}"
        tomli.loads(content)
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".plan.toml.")]
    assert len(leftovers) <= 40  # a killed save may leave its temporary file, never a torn plan
    for leftover in leftovers:
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    PlanFile.read(str(path)).save(old)  # the next save clears what killed saves left
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".plan.toml.")]
