"""A plan file on disk: read with a fingerprint, saved atomically, never over someone else's change.

Every writer (the app, ``fmt``, ``import``, ``suggest --apply``) saves through one protocol:

1. take an advisory ``fcntl.flock`` on a lock file beside the plan, ``.NAME.cadence-lock``
   (a separate file, so the lock survives the ``os.replace`` of the plan; it is removed again
   when the save is done, so it does not show in ``git status``);
2. re-read the plan and compare its fingerprint (SHA-256 of the bytes) with the one of the text
   the edit was made from: :meth:`PlanFile.save` refuses with :class:`ConflictError` if they
   differ, :meth:`PlanFile.update` applies its edit to the current text instead, and refuses
   if the edit no longer applies;
3. write a temporary file in the same folder, give it the plan's mode, owner and group, fsync
   it, ``os.replace`` the plan with it and fsync the folder: a crash leaves the old file or the
   new one, never a torn one;
4. release the lock.

Temporary files left by saves that were killed are removed by the next save, under the lock
(no save of that plan can be running then). A symlinked plan is saved through the link: its
target is replaced and the link stays. Every failed save raises :class:`SaveError` with a
one-line message, and leaves the plan on disk as it was.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

LOCK_SUFFIX = ".cadence-lock"
TEMPORARY_SUFFIX = ".tmp"
LOCK_TIMEOUT_SECONDS = 30.0  # a save holds the lock for milliseconds; this long means a hung writer


class SaveError(OSError):
    """A save that did not happen; the message is one line and the plan on disk is unchanged.

    An :class:`OSError`, so that code catching I/O errors around a save keeps working.
    """

    def __init__(self, path: str, reason: str, message: str | None = None):
        super().__init__(message or f"{path}: not saved: {reason}")
        self.path, self.message = path, message or f"{path}: not saved: {reason}"
        self.strerror = reason  # what went wrong, for a message that names the file itself

    def __str__(self) -> str:
        return self.message


class ConflictError(SaveError):
    """The file changed on disk since it was read; saving would overwrite that change."""

    def __init__(self, path: str, detail: str = "; reload it, or save under another name"):
        reason = f"it changed on disk since it was read{detail}"
        super().__init__(path, reason, f"{path} changed on disk since it was read{detail}")


class NotARegularFile(OSError):
    """A path that is a device, a pipe or a folder: reading it could block or never end."""

    def __init__(self, path: str):
        super().__init__(errno.EINVAL, "not a regular file (a device, a pipe or a folder)", path)


BOM = "\ufeff"


def split_bom(text: str) -> tuple[str, str]:
    """(the UTF-8 byte order mark or "", the text after it): plans are parsed and edited without it."""
    return (BOM, text[1:]) if text.startswith(BOM) else ("", text)


def keeping_bom(edit: Callable[[str], str]) -> Callable[[str], str]:
    """``edit`` applied to the text after a byte order mark, which the saved file keeps."""

    def edited(text: str) -> str:
        bom, body = split_bom(text)
        return bom + edit(body)

    return edited


def fingerprint(data: bytes) -> str:
    import hashlib  # only writers and the app need it; a check starts faster without it

    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str) -> bytes:
    """The bytes of a regular file; :class:`NotARegularFile` for anything else, without blocking."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO must not block
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(path)
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class PlanFile:
    """The text of a plan file as read, and the fingerprint of its bytes."""

    path: str
    text: str
    digest: str | None  # None: the file did not exist

    @classmethod
    def read(cls, path: str) -> "PlanFile":
        data = read_bytes(path)
        return cls(path, data.decode("utf-8"), fingerprint(data))

    def changed_on_disk(self) -> bool:
        try:
            return fingerprint(read_bytes(self.path)) != self.digest
        except FileNotFoundError:
            return self.digest is not None

    def save(self, text: str) -> "PlanFile":
        """Write ``text`` in place of what was read; :class:`ConflictError` if the file changed."""
        return self._commit(lambda _: text, reapply=False)

    def update(self, edit: Callable[[str], str]) -> "PlanFile":
        """Save ``edit(text)``; if the file changed since it was read, apply ``edit`` to it as it is now.

        For edits that stay right on a newer text (adding or deleting posts, formatting). If
        ``edit`` raises on the newer text, the save is refused with :class:`ConflictError`.
        """
        return self._commit(edit, reapply=True)

    def save_as(self, path: str, text: str) -> "PlanFile":
        """Write ``text`` to another path (which must not exist), e.g. after a conflict."""
        return PlanFile(path, "", None)._commit(lambda _: text, reapply=False)

    def _commit(self, edit: Callable[[str], str], reapply: bool) -> "PlanFile":
        target = os.path.realpath(self.path)  # through a symlink: the link stays
        try:
            with _locked(target):
                data = self._edited_bytes(target, edit, reapply)
                existing = _existing(target)
                if existing is not None:
                    _check_writable(self.path, target, existing)
                _remove_temporaries(target)
                write_atomically(target, data)
        except SaveError:
            raise
        except OSError as error:
            raise SaveError(self.path, f"{_reason(error)}; the plan on disk is unchanged") from error
        return PlanFile(self.path, data.decode("utf-8"), fingerprint(data))

    def _edited_bytes(self, target: str, edit: Callable[[str], str], reapply: bool) -> bytes:
        try:
            current = read_bytes(target)
        except FileNotFoundError:
            current = None
        if self.digest is None and current is not None:
            raise SaveError(self.path, "the file already exists")
        if (fingerprint(current) if current is not None else None) == self.digest:
            return edit(self.text).encode("utf-8")
        if not reapply or current is None:
            raise ConflictError(self.path)
        try:
            return edit(current.decode("utf-8")).encode("utf-8")
        except Exception as error:  # the edit does not fit the newer text: refuse, write nothing
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ConflictError(self.path, f", and the edit no longer applies ({detail}); nothing was written") from error


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old bytes or the new, nothing else.

    The new file keeps the old one's mode, owner and group. Callers hold the plan's lock.
    """
    import tempfile  # only a save needs it

    folder, name = os.path.split(path)
    existing = _existing(path)
    descriptor, temporary = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if existing is not None:
                _keep_ownership(path, handle.fileno(), existing)
                os.fchmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
            else:
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder or ".")


def lock_path(target: str) -> str:
    folder, name = os.path.split(target)
    return os.path.join(folder, f".{name}{LOCK_SUFFIX}")


@contextmanager
def _locked(target: str) -> Iterator[None]:
    """Hold the plan's advisory lock; the lock file is removed on release, while still held.

    A writer that waited on a lock file which was removed meanwhile finds that the path no
    longer names the file it locked, and tries again on the new one.
    """
    path = lock_path(target)
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    pause = 0.001
    while True:
        descriptor = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() > deadline:
                raise SaveError(target, f"another save has held {path} for {LOCK_TIMEOUT_SECONDS:.0f} s") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
            continue
        except BaseException:
            os.close(descriptor)
            raise
        if _same_file(descriptor, path):
            break
        os.close(descriptor)
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        os.close(descriptor)


def _same_file(descriptor: int, path: str) -> bool:
    try:
        on_path = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (on_path.st_dev, on_path.st_ino)


def _existing(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _check_writable(shown: str, target: str, existing: os.stat_result) -> None:
    """A plan marked read-only is refused, even for root (``os.replace`` would let it through)."""
    if not os.access(target, os.W_OK) or not existing.st_mode & 0o222:
        raise SaveError(shown, f"the plan is read-only (mode {stat.S_IMODE(existing.st_mode):04o})")


def _keep_ownership(shown: str, descriptor: int, existing: os.stat_result) -> None:
    if (existing.st_uid, existing.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(descriptor, existing.st_uid, existing.st_gid)
    except PermissionError:
        raise SaveError(
            shown, f"it belongs to another user (uid {existing.st_uid}, gid {existing.st_gid}), and a save would make it yours"
        ) from None


def _remove_temporaries(target: str) -> None:
    """Temporary files of this plan's saves that were killed (under the lock, none is running)."""
    folder, name = os.path.split(target)
    prefix = f".{name}."
    for entry in os.scandir(folder or "."):
        middle = entry.name[len(prefix) : -len(TEMPORARY_SUFFIX)]
        # exactly mkstemp's 8 random characters: not the temporaries of a plan named NAME.x
        if entry.name.startswith(prefix) and entry.name.endswith(TEMPORARY_SUFFIX) and len(middle) == 8 and "." not in middle:
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                pass


def _fsync_folder(folder: str) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:  # some file systems cannot fsync a folder; the replace is done
        if error.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(descriptor)


def _reason(error: OSError) -> str:
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied ({error.filename or 'the folder'})"
    return error.strerror or str(error)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
