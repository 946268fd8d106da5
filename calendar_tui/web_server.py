"""textual-serve's server as ``cadence serve`` runs it: our page (textual-serve's, with its font
served from here, so the page asks nothing of anywhere else), a start-up line instead of a
banner, and only tabs of its own pages may drive an app.

A browser lets any web page open a WebSocket to 127.0.0.1, and a DNS name can be made to point
there: without the checks below, a page on another site could drive the app and edit the plan.
So a tab's WebSocket must come from the server's own page (its Origin is the server's address),
and on the loopback the server answers only to its loopback names.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from balance.text import printable

TEMPLATES = Path(__file__).resolve().parent / "templates"


class PlanServer(Server):
    def __init__(self, command: str, host: str, port: int, plan_name: str, local_only: bool):
        super().__init__(command, host=host, port=port, title=f"cadence: {plan_name}", templates_path=TEMPLATES)
        self.plan_name = plan_name
        self.local_only = local_only
        self.names = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        self.tabs: set[asyncio.Task] = set()  # each tab's WebSocket handler, which runs its app

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._own_pages_only)
        return app

    @web.middleware
    async def _own_pages_only(self, request: web.Request, handler):
        if self.local_only and request.host not in self.names:
            raise web.HTTPForbidden(text=f"this server answers to {', '.join(sorted(self.names))} only")
        if request.path != "/ws":
            return await handler(request)
        if request.headers.get("Origin") != f"http://{request.host}":
            raise web.HTTPForbidden(text="only this server's own page may open an app")
        tab = asyncio.current_task()
        self.tabs.add(tab)
        try:
            return await handler(request)
        finally:
            self.tabs.discard(tab)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl-C: each tab's handler, cancelled, tells its app to quit, waits for it, and closes
        the tab's socket (the tab then says its app ended); otherwise the server would wait for
        the sockets' heartbeats to fail."""
        for tab in list(self.tabs):
            tab.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)

    async def handle_index(self, request: web.Request):
        self.public_url = f"http://{request.host}"  # the address the tab used, so its WebSocket's Origin matches
        return await super().handle_index(request)

    def initialize_logging(self) -> None:
        """No log of each connection: the start-up line and errors are enough on a terminal."""

    async def on_startup(self, app: web.Application) -> None:
        """No banner: the start-up line is said once the port listens (:meth:`serve`)."""

    def serve(self, debug: bool = False) -> None:
        """textual-serve's ``serve``, saying the start-up line when aiohttp has bound the port
        (its ``print``); said at start-up, a client that read it could find nothing listening."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop, print=self._listening)

    def _listening(self, _aiohttp_message: str) -> None:
        host = socket.gethostname() if self.host in ("0.0.0.0", "::", "") else self.host
        print(printable(f"cadence serve: {self.plan_name} on http://{host}:{self.port}/ (Ctrl-C stops it)"), flush=True)
