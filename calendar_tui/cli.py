"""The ``cadence`` command line: the parser and the dispatch; each command has its own module.

Everything here but ``open`` is plain Python: textual is imported only when the app opens, so
``cadence check`` starts fast in pre-commit and CI.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from typing import Sequence

from calendar_tui.commands import COMMANDS
from calendar_tui.commands.common import EXIT_OK
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["open"])
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
