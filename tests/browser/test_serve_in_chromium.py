"""`cadence serve` as teammates use it: the app in Chromium tabs, each its own app over the same
plan file, and the server stopped with Ctrl-C (SIGINT) from its terminal."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SAMPLES

# what the app writes to a tab is a terminal's output: its text is what is left without escape sequences
ESCAPES = re.compile(r"\x1b(?:\[[0-9;?<>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`cadence serve` on a copy of the Kopi Senja sample, as a real process in a process group
    of its own, as a terminal starts it; stopped with SIGINT to the group, as Ctrl-C stops it."""
    plan = tmp_path / "kopi-senja.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "calendar_tui", "serve", str(plan), "--port", str(port), "--today", "2027-01-13"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"}, start_new_session=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], 30)
    assert ready, "cadence serve did not start"
    line = process.stdout.readline()
    assert line == f"cadence serve: Kopi Senja — January 2027 on http://127.0.0.1:{port}/ (Ctrl-C stops it)\n", process.stderr.read() if not line else line
    process.plan, process.url = plan, f"http://127.0.0.1:{port}/"
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)


class Tab:
    """A browser tab on the server, and the text its app has written to it so far."""

    def __init__(self, context, url: str):
        self.page = context.new_page()
        self.text = ""
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda socket: socket.on("framereceived", self._received))
        self.page.goto(url)

    def _received(self, payload) -> None:
        self.text += ESCAPES.sub("", payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    def shows(self, text: str, seconds: float = 30) -> bool:
        """Whether ``text`` appears in the tab within ``seconds`` (Playwright delivers frames while it waits)."""
        deadline = time.monotonic() + seconds
        while text not in self.text and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        return text in self.text

    def press(self, *keys: str) -> None:
        self.page.locator(".xterm-helper-textarea").focus()  # the terminal's keyboard, without a click on a day
        for key in keys:
            self.page.keyboard.press(key)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def test_two_tabs_two_apps_the_second_save_gets_the_conflict_dialog_and_ctrl_c_ends_them(server, context):
    first, second = Tab(context, server.url), Tab(context, server.url)
    for tab in (first, second):
        assert tab.shows("Kopi Senja — January 2027") and tab.shows("Wednesday 13 January 2027")  # the month, at --today
    first.press("ArrowRight")
    assert first.shows("Thursday 14 January 2027")  # the keys move the cursor
    original = server.plan.read_text(encoding="utf-8")
    second.press("Shift+ArrowDown")  # an unsaved edit in the second tab: Wednesday's post an hour later
    assert second.shows("11:00")
    first.press("Shift+ArrowRight", "Control+s")  # the first tab moves Thursday's post to Friday and saves
    deadline = time.monotonic() + 20
    while server.plan.read_text(encoding="utf-8") == original and time.monotonic() < deadline:
        first.page.wait_for_timeout(100)
    saved = server.plan.read_text(encoding="utf-8")
    assert "at = 2027-01-15T19:00:00" in saved and "at = 2027-01-14T19:00:00" not in saved
    second.press("Control+s")
    assert second.shows("Reload, dropping my edits") and second.shows("Save as…")  # the conflict dialog
    assert server.plan.read_text(encoding="utf-8") == saved  # nothing overwritten
    assert all(url.startswith(server.url) for url in first.requests + second.requests)  # the page asks nothing of anywhere else
    apps = children(server.pid)
    assert len(apps) == 2, apps  # one app per tab
    os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the server's terminal
    assert server.wait(timeout=30) == 0 and server.stderr.read() == ""
    for tab in (first, second):
        tab.page.wait_for_selector("body.-closed .closed-dialog", timeout=15000)
        assert "The app in this tab has ended" in tab.page.inner_text(".closed-dialog")
    for pid in apps:  # ended with the server, not left running
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"


def children(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs (the shell textual-serve starts runs the app)."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        for child in open(f"/proc/{pid}/task/{task}/children").read().split():
            found += [int(child), *children(int(child))]
    return found


def test_it_answers_only_its_own_pages(server):
    """A page elsewhere (or a DNS name pointed at 127.0.0.1) can neither load the app nor open a
    tab's socket (the tabs above open theirs from the server's own page)."""
    import urllib.error
    import urllib.request

    def status(path: str, **headers: str) -> int:
        try:
            return urllib.request.urlopen(urllib.request.Request(server.url + path, headers=headers), timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code

    host = server.url.split("/")[2]
    assert status("") == 200
    assert status("", Host=f"evil.example:{host.split(':')[1]}") == 403
    socket_headers = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    assert status("ws", Origin="https://evil.example", **socket_headers) == 403
    assert status("ws", **socket_headers) == 403  # no Origin: not a browser tab of ours either


def test_another_host_is_said_to_let_anyone_edit_the_plan(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "calendar_tui", "serve", str(plan), "--host", "0.0.0.0", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert select.select([process.stdout], [], [], 30)[0] and process.stdout.readline().endswith(f":{port}/ (Ctrl-C stops it)\n")
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    assert process.stderr.read() == (
        f"cadence serve: listening on 0.0.0.0:{port}: anyone who can reach this port can open and edit {plan}; "
        "there is no login. The default, --host 127.0.0.1, keeps it to this machine.\n"
    )


def test_a_plan_it_cannot_open_or_a_port_it_cannot_use_is_said_once(tmp_path):
    from tests.conftest import run_cadence, run_cadence_process

    broken = tmp_path / "broken.toml"
    broken.write_text("[plan]\nname = 1\n", encoding="utf-8")
    result = run_cadence("serve", str(broken))
    assert result.returncode == 2 and result.stderr.startswith(f"{broken}:")
    result = run_cadence("serve", str(SAMPLES / "kopi-senja.toml"), "--port", "70000")
    assert (result.returncode, result.stderr) == (2, "cadence: error: --port 70000: a port is 1 to 65535\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cadence_process("serve", str(SAMPLES / "kopi-senja.toml"), "--port", str(port))  # a server's loop and signals: a process of its own
    assert result.returncode == 2 and result.stderr.startswith(f"cadence: error: cannot listen on 127.0.0.1:{port}: "), result.stderr
