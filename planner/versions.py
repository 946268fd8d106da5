"""Versions of a plan file: the working tree, another file, or the file in a git revision.

A revision's text comes from ``git show REV:path``, run in the repository that holds the
plan. Whatever goes wrong (not a repository, no such revision, the file not in it) is a
:class:`VersionError` with one line that says so.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from planner.loader import read_text


class VersionError(Exception):
    """A version of the plan that cannot be read; the message is one line for the user."""


class NotInRevision(VersionError):
    """The revision exists, and the plan's path is not in it (the plan is newer)."""


@dataclass(frozen=True)
class Version:
    """A plan's text and how to name it: a path, or ``REV:path`` for a revision."""

    label: str
    text: str


def working_tree(path: str) -> Version:
    """The file as it is on disk (:class:`planner.errors.PlanError` if it cannot be read)."""
    return Version(path, read_text(path))


def revision(rev: str, path: str) -> Version:
    """The plan at ``path`` (on disk, maybe not existing now) as it was in revision ``rev``."""
    folder = os.path.dirname(os.path.abspath(path))
    while not os.path.isdir(folder):  # the plan or its folder may be gone from the working tree
        folder = os.path.dirname(folder)
    top = toplevel(folder)
    if top is None:
        import shutil

        raise VersionError(f"{path} is not in a git repository" if shutil.which("git") else "git is not installed (it is needed to read a revision)")
    commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", failure=f"unknown revision {rev!r}").strip()
    inside = os.path.relpath(os.path.realpath(os.path.abspath(path)), os.path.realpath(top)).replace(os.sep, "/")
    if inside.startswith("../"):
        raise VersionError(f"{path} is outside the git repository at {top}")
    try:
        data = _git(top, "show", f"{commit}:{inside}", failure=f"{inside} is not in revision {rev}", binary=True)
    except VersionError as error:
        raise NotInRevision(str(error)) from None
    label = f"{rev}:{inside}"
    if b"\0" in data:
        raise VersionError(f"{label} is a binary file, not a TOML plan")
    try:
        return Version(label, data.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise VersionError(f"{label} is not UTF-8 text") from None


def toplevel(folder: str) -> str | None:
    """The top folder of the git work tree holding ``folder``, or None (not in one, or no git)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def _git(folder: str, *args: str, failure: str, binary: bool = False):
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except FileNotFoundError:
        raise VersionError("git is not installed (it is needed to read a revision)") from None
    if done.returncode != 0:
        raise VersionError(failure)
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")

