"""``cadence lsp``: the language server for plan files, over standard input and output."""

from __future__ import annotations

import argparse
import os
import sys

from calendar_tui.commands.common import EXIT_OK, add_store_option, parse_date, today


def register(commands) -> None:
    lsp = commands.add_parser(
        "lsp",
        help="run the language server for plan files (editors start it)",
        description="Speak the Language Server Protocol over standard input and output: the plan's findings as you type, "
        "hover, completion, go to definition and fixes. Your editor starts it (the docs page on editors shows how).",
    )
    lsp.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date (also CADENCE_TODAY)")
    add_store_option(lsp)
    lsp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from calendar_tui.lsp.server import serve

    fixed = today(args.today) if args.today or os.environ.get("CADENCE_TODAY") else None  # else each plan's date now
    protocol_in, protocol_out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # standard output is the protocol's: a stray print goes to the editor's log instead
    store = os.path.abspath(args.db) if args.db else None  # the editor's working folder now, whatever it becomes
    serve(fixed, protocol_in, protocol_out, store)
    return EXIT_OK
