"""planner.versions.toplevel: the one place that asks git for a work tree's top folder."""

import os

from planner.versions import toplevel
from tests.gitrepo import Repo


def test_toplevel_of_a_folder_inside_a_repository_and_outside_one(tmp_path):
    (tmp_path / "repo").mkdir()
    repo = Repo(tmp_path / "repo")
    inner = repo.root / "plans" / "2027"
    inner.mkdir(parents=True)
    assert os.path.realpath(toplevel(str(inner))) == os.path.realpath(repo.root)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert toplevel(str(outside)) is None
