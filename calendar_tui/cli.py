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


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser. When ``argv`` starts with a command whose module has its name (``check``),
    only that command is registered: building every command's options is a measurable part
    of a small check's start. Anything else (``--help``, a typo, ``import``) gets them all."""
    parser = argparse.ArgumentParser(
        prog="cadence",
        description="Plan social-media content as a TOML file and check its cadence and mix.",
    )
    parser.add_argument("--version", action="version", version=f"cadence {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    alone = argv[:1] if argv[:1] and argv[0] in COMMANDS else ()
    for name in alone or COMMANDS:
        import_module(f"calendar_tui.commands.{name}").register(commands)
    if alone and alone[0] not in commands.choices:  # a module, not a command ("opening")
        return build_parser()
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(argv)
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
