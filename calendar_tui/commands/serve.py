"""``cadence serve``: the calendar app in a browser, with textual-serve, for teammates who never
open a terminal. Each browser tab runs its own ``cadence open`` over the same plan file, so saves
go through the write protocol as two terminals' would: the second save gets the conflict dialog."""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

from calendar_tui.commands.common import EXIT_INVALID, EXIT_OK, choice, fail, parse_date, read_plan

LOOPBACK = "127.0.0.1"


def register(commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="the calendar app in a browser, for teammates",
        description=(
            "Serve the calendar app on PLAN to browsers (textual-serve). Each tab runs its own app over the same "
            "file; saves go through the same checks as two terminals', so no tab loses another's save. Listens on "
            f"{LOOPBACK} (this machine only) unless --host says otherwise. Ctrl-C stops the server and its apps."
        ),
    )
    serve.add_argument("plan", metavar="PLAN", help="a plan file (TOML)")
    serve.add_argument("--host", default=LOOPBACK, help=f"the address to listen on (default: {LOOPBACK}); 0.0.0.0 for every network")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument("--today", type=parse_date, metavar="DATE", help="fix today's date in the apps (also CADENCE_TODAY)")
    serve.add_argument("--week-start", **choice("monday", "sunday"), default="monday", help="first day of the week")
    serve.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        return fail(f"--port {args.port}: a port is 1 to 65535")
    plan = read_plan(args.plan)  # a plan the app cannot open is said here, once, not in every tab
    if plan is None:
        return EXIT_INVALID
    try:
        from calendar_tui.web_server import PlanServer
    except ImportError as error:
        return fail(f"cadence serve needs textual-serve ({error.name} is missing): pip install 'content-cadence[serve]'")
    command = [sys.executable, "-m", "calendar_tui", "open", os.path.abspath(args.plan), "--week-start", args.week_start]
    if args.today:
        command += ["--today", args.today.isoformat()]
    if not is_loopback(args.host):
        print(
            f"cadence serve: listening on {args.host}:{args.port}: anyone who can reach this port can open and edit "
            f"{args.plan}; there is no login. The default, --host {LOOPBACK}, keeps it to this machine.",
            file=sys.stderr,
        )
    # The apps ignore SIGINT: Ctrl-C in the server's terminal reaches its whole process group, and
    # the server, not the signal, ends each app (Python keeps SIGINT ignored when it starts so).
    command_line = f"trap '' INT; exec {shlex.join(command)}"
    server = PlanServer(command_line, args.host, args.port, plan.name, local_only=is_loopback(args.host))
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this machine's
        return fail(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    return EXIT_OK
