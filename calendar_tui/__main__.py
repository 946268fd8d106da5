"""Where ``cadence`` and ``python -m calendar_tui`` start.

Ctrl-C ends the command quietly with status 130 from its first moment: the handler is set
before the command line's modules are imported, so an interrupt while they load prints no
traceback either. (Later, the command line turns it into the same status.)
"""

import signal
import sys


def _interrupted(signum, frame):
    raise SystemExit(130)


def main() -> int:
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from calendar_tui.cli import main as run_command_line

        return run_command_line()
    except RuntimeError as error:
        # Python 3.11 wraps what __set_name__ raises: Ctrl-C while a module being imported made a dataclass
        if isinstance(error.__cause__, SystemExit):
            raise error.__cause__ from None
        raise


if __name__ == "__main__":
    sys.exit(main())
