"""A real git repository in a temporary folder, for the commands that read or merge revisions."""

from __future__ import annotations

import subprocess
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
}


class Repo:
    def __init__(self, root: Path):
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        import os

        env = {**os.environ, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root)}
        return subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=check)

    def write(self, text: str, name: str = "content-plan.toml") -> Path:
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, name: str = "content-plan.toml") -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def commit(self, text: str, message: str, name: str = "content-plan.toml") -> str:
        self.write(text, name)
        self.git("add", name)
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").stdout.strip()
