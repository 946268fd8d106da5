"""A plan file on disk: read with a fingerprint, saved atomically, never over someone else's change.

A save writes a temporary file in the same folder, flushes and fsyncs it, gives it the old
file's mode, ``os.replace``\\ s the plan with it and fsyncs the folder: a crash leaves the old
file or the new one, never a torn one. Before replacing, the file on disk is hashed again; if
it is not what was read, the save is refused with :class:`ConflictError` and nothing is
written, so an edit made elsewhere (another editor, a ``git pull``) is never lost.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
from dataclasses import dataclass


class ConflictError(Exception):
    """The file changed on disk since it was read; saving would overwrite that change."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path} changed on disk since it was read; reload it, or save under another name")


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PlanFile:
    """The text of a plan file as read, and the fingerprint of its bytes."""

    path: str
    text: str
    digest: str | None  # None: the file did not exist

    @classmethod
    def read(cls, path: str) -> "PlanFile":
        with open(path, "rb") as handle:
            data = handle.read()
        return cls(path, data.decode("utf-8"), fingerprint(data))

    def changed_on_disk(self) -> bool:
        try:
            with open(self.path, "rb") as handle:
                return fingerprint(handle.read()) != self.digest
        except FileNotFoundError:
            return self.digest is not None

    def save(self, text: str) -> "PlanFile":
        """Write ``text`` in place of what was read; raise :class:`ConflictError` if it changed."""
        if self.changed_on_disk():
            raise ConflictError(self.path)
        data = text.encode("utf-8")
        write_atomically(self.path, data)
        return PlanFile(self.path, text, fingerprint(data))

    def save_as(self, path: str, text: str) -> "PlanFile":
        """Write ``text`` to another path (which must not exist), e.g. after a conflict."""
        if os.path.exists(path):
            raise FileExistsError(f"{path} already exists")
        data = text.encode("utf-8")
        write_atomically(path, data)
        return PlanFile(path, text, fingerprint(data))


STALE_SECONDS = 600  # a temporary file this old was left by a save that was killed


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old bytes or the new, nothing else."""
    folder = os.path.dirname(os.path.abspath(path))
    _remove_stale_temporaries(folder, os.path.basename(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _remove_stale_temporaries(folder: str, name: str) -> None:
    """Temporary files of saves killed mid-way (ours by their name), once they are old."""
    prefix, now = f".{name}.", time.time()
    for entry in os.scandir(folder):
        if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
            try:
                if now - entry.stat().st_mtime > STALE_SECONDS:
                    os.unlink(entry.path)
            except FileNotFoundError:
                pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
