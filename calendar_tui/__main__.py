"""Where ``cadence`` and ``python -m calendar_tui`` start.

Ctrl-C ends the command quietly with status 130 from its first moment: the handler is set
before the command line's modules are imported, so an interrupt while they load prints no
traceback either. (Later, the command line turns it into the same status.)

A command of :data:`ENDS_AT_ONCE` ends its process as soon as its output is flushed: freeing a
checked plan's objects one by one took 50 ms after a 10,000-post check and half a second after
a 100,000-post one, and nothing in it needs closing.
"""

import os
import signal
import sys

ENDS_AT_ONCE = frozenset({"check"})  # read-only, no thread, no store written, no file left open


def _interrupted(signum, frame):
    raise SystemExit(130)


def main() -> int:
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from calendar_tui.cli import main as run_command_line

        status = run_command_line()
    except RuntimeError as error:
        # Python 3.11 wraps what __set_name__ raises: Ctrl-C while a module being imported made a dataclass
        if isinstance(error.__cause__, SystemExit):
            raise error.__cause__ from None
        raise
    if sys.argv[1:2] and sys.argv[1] in ENDS_AT_ONCE:
        _end_at_once(status)
    return status


def _end_at_once(status: int) -> None:
    """Exit with ``status`` once what is buffered is written, without tearing the interpreter down."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the command line has said what it could; the status stands
            pass
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
