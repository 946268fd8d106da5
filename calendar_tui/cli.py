"""The ``cadence`` command line: the parser and the dispatch; each command has its own module.

Everything here but ``open`` is plain Python: textual is imported only when the app opens, so
``cadence check`` starts fast in pre-commit and CI.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from typing import Sequence

from calendar_tui.commands import COMMANDS
from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, fail
from planner import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cadence",
        description="Plan social-media content as a TOML file and check its cadence and mix.",
    )
    parser.add_argument("--version", action="version", version=f"cadence {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"calendar_tui.commands.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["open"])
        status = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cadence check ... | head`: the reader has what it wanted
        _discard_output()
        return EXIT_OK
    except OSError as error:  # e.g. writing the output to a full disk (`> /dev/full`)
        _discard_output()
        what = error.filename or "the output"
        try:
            return fail(f"cannot write {what}: {error.strerror or error}")
        except OSError:
            return EXIT_INVALID


def _discard_output() -> None:
    """Send what is still buffered for standard output nowhere, so exiting cannot fail on it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
