"""A plan file on disk: read with a fingerprint, saved atomically, never over someone else's change.

Every writer (the app, ``fmt``, ``import``, ``suggest --apply``, ``log --mark``) saves through
one protocol:

1. take an advisory ``fcntl.flock`` on a lock file beside the plan, ``.NAME.cadence-lock``
   (a separate file, so the lock survives the ``os.replace`` of the plan; it is removed again
   when the save is done, so it does not show in ``git status``). The lock file is opened with
   ``O_NOFOLLOW | O_NONBLOCK`` and must be a regular file we may write: a symlink (one a pull
   request committed, say), a FIFO, a folder or a read-only file there fails the save with a
   message that names it, and no save waits for the lock more than 30 s;
2. re-read the plan and compare it with the text the edit was made from (by a SHA-256
   fingerprint): :meth:`PlanFile.save` refuses with :class:`ConflictError` if they differ,
   :meth:`PlanFile.update` applies its edit to the current text instead, and refuses if the
   edit no longer applies;
3. make the edit (an edit may re-validate the whole plan, which takes a while on a big one),
   write a temporary file in the same folder, give it the plan's mode, owner and group and
   fsync it;
4. compare the plan on disk with the text the edit was applied to once more, immediately
   before ``os.replace``: a ``git checkout`` or an editor's save during step 3 does not take
   the lock, and must not be reverted. If it changed, the save is refused
   (:class:`ConflictError`) and the temporary file removed; else ``os.replace`` the plan with
   the temporary file and fsync the folder: a crash leaves the old file or the new one, never
   a torn one;
5. release the lock.

Temporary files left by saves that were killed are removed by the next save, under the lock
(no save of that plan can be running then). A symlinked plan is saved through the link: its
target is replaced and the link stays. Every failed save raises :class:`SaveError` with a
one-line message, and leaves the plan on disk as it was.

Every file cadence reads (a plan, a CSV to import, a saved baseline, the versions the merge
driver merges) is read by :func:`read_bytes` (bytes) or :func:`read_input` (text): a regular
file of at most :data:`MAX_INPUT_BYTES`. A device, a FIFO or a folder is refused without
blocking, a larger file without reading it, each with one line that names the file.
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
MAX_INPUT_MIB = 64
MAX_INPUT_BYTES = MAX_INPUT_MIB * 1024 * 1024  # a plan of 100,000 posts is 18 MB, its CSV about as much


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

    def __init__(self, path: str, detail: str = "; reload it, or save under another name", when: str = "since it was read"):
        reason = f"it changed on disk {when}{detail}"
        super().__init__(path, reason, f"{path} changed on disk {when}{detail}")


class NotARegularFile(OSError):
    """A path that is a device, a pipe or a folder: reading it could block or never end."""

    def __init__(self, path: str):
        super().__init__(errno.EINVAL, "not a regular file (a device, a pipe or a folder)", path)


class TooLarge(OSError):
    """A file over :data:`MAX_INPUT_BYTES`: refused before it is read into memory."""

    def __init__(self, path: str, size: int | None):
        super().__init__(errno.EFBIG, _over_the_limit(f"it is {_mib(size)}" if size is not None else "it holds more"), path)


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def _over_the_limit(how_big: str) -> str:
    return f"{how_big}, over the {MAX_INPUT_MIB} MiB limit of an input file"


class UnreadableInput(ValueError):
    """An input file that cannot be read, with one line that names it and says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: cannot be read: {reason}")
        self.path, self.reason = path, reason


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
    """The bytes of a regular file of at most :data:`MAX_INPUT_BYTES`, read without blocking.

    :class:`NotARegularFile` for a device, a FIFO or a folder, :class:`TooLarge` for a bigger
    file; both are :class:`OSError` with a ``strerror`` to show after the file's name.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO must not block
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(path)
        if info.st_size > MAX_INPUT_BYTES:
            raise TooLarge(path, info.st_size)
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)  # a file that grows, or says it is empty (/proc)
        if len(data) > MAX_INPUT_BYTES:
            raise TooLarge(path, None)
        return data
    finally:
        os.close(descriptor)


def read_input(path: str, encoding: str = "utf-8") -> str:
    """The text of an input file (a CSV, a saved baseline, a version to merge), as :func:`read_bytes`
    reads it; :class:`UnreadableInput` says in one line why it cannot be. ``encoding``:
    "utf-8" keeps a byte order mark, "utf-8-sig" drops it. Line endings are kept."""
    try:
        data = read_bytes(path)
    except OSError as error:
        raise UnreadableInput(path, error.strerror or str(error)) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableInput(path, f"line {line} is not UTF-8 text; save the file as UTF-8") from None


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
            with _locked(target, self.path):
                seen = _identity(target)
                current = _current_bytes(target)
                data = self._edited_bytes(current, edit, reapply)
                if len(data) > MAX_INPUT_BYTES:  # no command could read it back
                    raise SaveError(self.path, _over_the_limit(f"it would be {_mib(len(data))}"))
                existing = _existing(target)
                if existing is not None:
                    _check_writable(self.path, target, existing)
                _remove_temporaries(target)
                write_atomically(target, data, before_replace=lambda: self._check_unchanged(target, current, seen))
        except SaveError:
            raise
        except OSError as error:
            raise SaveError(self.path, f"{_reason(error)}; the plan on disk is unchanged") from error
        return PlanFile(self.path, data.decode("utf-8"), fingerprint(data))

    def _edited_bytes(self, current: bytes | None, edit: Callable[[str], str], reapply: bool) -> bytes:
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

    def _check_unchanged(self, target: str, current: bytes | None, seen: tuple | None) -> None:
        """Refuse the save if the plan is no longer the one the edit was applied to.

        Run immediately before ``os.replace``: whoever wrote the file meanwhile (git, an editor)
        took no lock. The bytes are compared, then, as the very last step, one ``stat`` says
        whether the file was written or replaced since it was first read.
        """
        if _current_bytes(target) == current and _identity(target) == seen:
            return
        if current is None:
            raise SaveError(self.path, "the file already exists")
        raise ConflictError(self.path, "; nothing was written, and the change on disk is kept", when="while it was being saved")


def _current_bytes(target: str) -> bytes | None:
    try:
        return read_bytes(target)
    except FileNotFoundError:
        return None


def _identity(path: str) -> tuple | None:
    """What changes when a file is written or replaced (its change time cannot be set back)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def write_atomically(path: str, data: bytes, before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``data`` so that readers see the old bytes or the new, nothing else.

    The new file keeps the old one's mode, owner and group. ``before_replace`` runs once the
    new bytes are on disk, immediately before the replace; if it raises, nothing is replaced.
    A plan's saves hold its lock.
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
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(folder or ".")


def lock_path(target: str) -> str:
    folder, name = os.path.split(target)
    return os.path.join(folder, f".{name}{LOCK_SUFFIX}")


@contextmanager
def _locked(target: str, shown: str) -> Iterator[None]:
    """Hold the plan's advisory lock; the lock file is removed on release, while still held.

    A writer that waited on a lock file which was removed meanwhile finds that the path no
    longer names the file it locked, and tries again on the new one. Nothing here blocks: a
    save waits for the lock 30 s at most, whatever sits at the lock file's path. Errors are
    :class:`SaveError` for the plan ``shown``, naming the lock file.
    """
    path = lock_path(target)
    named = _as_named(path, shown, target)
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    pause = 0.001
    while True:
        descriptor = _open_lock(path, shown, named)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _same_file(descriptor, path):
                break
        except BlockingIOError:
            pass
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
        if time.monotonic() > deadline:
            raise SaveError(shown, f"another save has held its lock file {named} for {LOCK_TIMEOUT_SECONDS:.0f} s")
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        os.close(descriptor)


def _as_named(lock: str, shown: str, target: str) -> str:
    """The lock file's path beside the plan's as the user named it, unless that name is a
    symlink to another folder or name (the lock sits beside the link's target)."""
    beside = lock_path(shown)
    same = os.path.basename(shown) == os.path.basename(target) and os.path.realpath(os.path.dirname(shown) or ".") == os.path.dirname(target)
    return beside if same else lock


def _open_lock(path: str, shown: str, named: str) -> int:
    """The lock file, opened (and made if need be) for writing: never through a symlink, never
    blocking on a FIFO; :class:`SaveError` for the plan ``shown``, naming the lock file as
    ``named``, if it is not a regular file we may write."""

    def refuse(what: str) -> SaveError:
        return SaveError(shown, f"its lock file {named} {what}")

    def read_only(mode: int) -> SaveError:
        return refuse(f"is read-only (mode {stat.S_IMODE(mode):04o}): remove it if no save is running")

    try:
        found = os.lstat(path)  # for the message: the open below refuses all the same
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise refuse(f"is {_file_kind(found.st_mode)}, not a regular file: remove it")
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):  # it changed since the lstat
            raise refuse("is not a regular file: remove it") from None
        if error.errno == errno.EACCES and found is not None:
            raise read_only(found.st_mode) from None
        raise
    mode = os.fstat(descriptor).st_mode
    if stat.S_ISREG(mode) and mode & 0o222:  # a read-only one is refused even for root, as a read-only plan is
        return descriptor
    os.close(descriptor)
    raise read_only(mode) if stat.S_ISREG(mode) else refuse("is not a regular file: remove it")


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a device")


def _same_file(descriptor: int, path: str) -> bool:
    try:
        on_path = os.lstat(path)
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


def fsync_folder(folder: str) -> None:
    """Make a rename or link in ``folder`` durable, where the file system can."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:  # some file systems cannot fsync a folder; the rename is done
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
