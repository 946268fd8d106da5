"""`cadence lsp` driven over stdio as an editor drives it (pytest-lsp), and by Neovim itself.

One real server process serves the module's tests (lsprotocol alone takes a second to
import); each test opens its own plan files and reads back what the server publishes for
them. The findings are compared with `cadence check --format json` on the same file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import DATA, ROOT, SAMPLES, run_cadence, store_with

TODAY = "2027-01-17"  # OUT004.sql records a past that ends there
SERVER = [sys.executable, "-m", "calendar_tui", "lsp", "--today", TODAY]
SEVERITY = {"error": 1, "warning": 2, "info": 3}

module_server = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, path: Path, text: str | None = None) -> str:
    """Open ``path`` (with ``text`` unsaved in the editor, if given) and wait for its findings."""
    uri = path.resolve().as_uri()
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "toml", 1, text)))
    await published(client, uri, 1)
    return uri


async def published(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The findings the server publishes for this version of the document."""
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


async def typed(client: LanguageClient, uri: str, version: int, start: tuple[int, int], end: tuple[int, int], text: str) -> list[types.Diagnostic]:
    """Replace a range as an editor sends a keystroke (incremental sync); the findings of that version."""
    change = types.TextDocumentContentChangePartial(types.Range(types.Position(*start), types.Position(*end)), text)
    client.text_document_did_change(types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(version, uri), [change]))
    return await published(client, uri, version)


def checked(path: Path, *options: str) -> list[dict]:
    result = run_cadence("check", str(path), "--format", "json", "--today", TODAY, *options)
    return json.loads(result.stdout)["diagnostics"]


def offset_of(text: str, position: types.Position, wide: int = 2) -> int:
    """The offset in ``text`` of a protocol position: in UTF-16 code units (VS Code's, where a
    character beyond the BMP is 2 wide), or in code points (``wide`` 1, UTF-32)."""
    lines = text.split("\n")
    line = lines[position.line] if position.line < len(lines) else ""
    units = column = 0
    while column < len(line) and units < position.character:
        units += wide if ord(line[column]) > 0xFFFF else 1
        column += 1
    return sum(len(written) + 1 for written in lines[: position.line]) + column


def applied(text: str, edit: types.WorkspaceEdit, uri: str, wide: int = 2) -> str:
    """The text after a workspace edit, applied as an editor applies it (last edit first)."""
    for change in sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset_of(text, change.range.start, wide)] + change.new_text + text[offset_of(text, change.range.end, wide) :]
    return text


def as_check_reports(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return sorted((d.range.start.line + 1, d.range.start.character + 1, d.code, d.severity, d.message.split("\nhelp: ")[0]) for d in diagnostics)


def expected_reports(path: Path) -> list[tuple]:
    return sorted((d["line"], d["column"], d["code"], SEVERITY[d["severity"]], d["message"]) for d in checked(path))


@module_server
async def test_diagnostics_are_the_checks_own_with_their_help_and_rule_docs(client: LanguageClient, tmp_path: Path):
    plan = SAMPLES / "lumen-saas-berlin.toml"
    uri = await opened(client, plan)
    found = client.diagnostics[uri]
    assert as_check_reports(found) == expected_reports(plan) and len(found) > 10
    first = next(d for d in found if d.code == "CAD001")
    assert first.code_description.href == "https://content-cadence.readthedocs.io/en/latest/rules/#cad001-missed-slot"
    line = plan.read_text(encoding="utf-8").split("\n")[first.range.start.line]
    assert first.range.end.character == len(line.rstrip()) and first.source == "cadence"
    assert "\nhelp: " not in first.message  # a slot months ahead: its ideas are cadence suggest's to give
    soon = tmp_path / "plan.toml"  # open slots in the coming weeks carry the check's help lines
    soon.write_text((DATA / "CAD001.toml").read_text(encoding="utf-8").replace("end = 2027-01-17", "end = 2027-01-31"), encoding="utf-8")
    uri = await opened(client, soon)
    helped = [d.message.split("\nhelp: ")[1:] for d in client.diagnostics[uri] if d.code == "CAD001"]
    expected = [d["suggestions"] if d["date"] >= TODAY else [] for d in checked(soon) if d["code"] == "CAD001"]
    assert helped == expected and [bool(help) for help in helped] == [False, True, True, True, True]  # a past slot has none


@module_server
async def test_typing_a_syntax_error_is_a_diagnostic_and_fixing_it_brings_the_findings_back(client: LanguageClient, tmp_path: Path):
    plan = tmp_path / "plan.toml"
    text = (DATA / "PUB002.toml").read_text(encoding="utf-8").replace('title = "Gayo beans', 'title = "☕🙂 Gayo beans')
    plan.write_text(text, encoding="utf-8")
    uri = await opened(client, plan)
    before = as_check_reports(client.diagnostics[uri])
    assert before == expected_reports(plan) and "PUB002" in [code for *_, code, _, _ in before]
    line = next(number for number, written in enumerate(text.split("\n")) if "☕🙂" in written)
    closing = len('title = "☕🙂 Gayo beans, 15% off this week') + 1  # in UTF-16 units: 🙂 takes two, ☕ one
    broken = await typed(client, uri, 2, (line, closing), (line, closing + 1), "")  # the closing quote deleted
    assert [(d.range.start.line, d.severity, d.code) for d in broken] == [(line, 1, None)]
    assert broken[0].message.startswith("invalid TOML")
    assert broken[0].range.start.character <= closing
    again = await typed(client, uri, 3, (line, closing), (line, closing), '"')
    assert as_check_reports(again) == before


@module_server
@pytest.mark.parametrize(
    "text, message",
    [
        ("\0\0\0 binary", "invalid TOML"),
        ("[plan]\nname = " + "[" * 1000, "invalid TOML"),
        ("<<<<<<< HEAD\n[plan]\n=======\n>>>>>>> theirs\n", "merge conflict"),
        ('[plan]\nname = "x"\ntimezone = "Mars/Olympus"\nstart = 2027-01-01\nend = 2027-01-02\n', "unknown time zone"),
    ],
)
async def test_no_text_stops_the_server(client: LanguageClient, tmp_path: Path, text: str, message: str):
    uri = await opened(client, tmp_path / "plan.toml", text)
    assert message in " ".join(d.message for d in client.diagnostics[uri])
    hovered = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(1, 3)))
    assert hovered is None  # and it still answers


@module_server
async def test_a_toml_file_that_is_no_plan_gets_no_findings(client: LanguageClient):
    uri = await opened(client, ROOT / "pyproject.toml")
    assert list(client.diagnostics[uri]) == []


def position_of(path: Path, needle: str, offset: int = 0) -> types.Position:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if needle in line:
            return types.Position(number, line.index(needle) + offset)
    raise AssertionError(needle)


@module_server
async def test_hover_describes_rules_kinds_channels_and_owners(client: LanguageClient, tmp_path: Path):
    plan = tmp_path / "plan.toml"
    text = (DATA / "CAD001.toml").read_text(encoding="utf-8").replace("end = 2027-01-17", "end = 2027-01-31")
    plan.write_text(text + '\n[rules]\nseverity = { PUB003 = "info" }\n', encoding="utf-8")
    uri = await opened(client, plan)

    async def hover(needle: str, offset: int = 1) -> str:
        result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), position_of(plan, needle, offset)))
        return result.contents.value

    rule = await hover("PUB003")
    assert rule.startswith("**PUB003** `no-owner` (warning)") and "rules/#pub003-no-owner" in rule
    assert "- flags: promotional\n- needs approval by: legal\n- needs a link" in await hover("[kinds.promo]", 9)
    channel = await hover('channel = "instagram"', 12)
    assert "`0 10 * * MON,THU` (tolerance 3h)" in channel and "next free slot: Mon 2027-01-18 10:00" in channel
    owner = await hover('owner = "rina"', 10)
    assert "roles: social" in owner and "owns: instagram" in owner


@module_server
async def test_completion_offers_the_tables_keys_and_the_plans_names(client: LanguageClient, tmp_path: Path):
    plan = tmp_path / "plan.toml"
    text = (DATA / "PUB002.toml").read_text(encoding="utf-8") + '\n[[post]]\nid = "new"\nkind = ""\nowner = "r"\n\n'
    plan.write_text(text, encoding="utf-8")
    uri = await opened(client, plan)

    async def offered(line: int, character: int) -> dict[str, str]:
        result = await client.text_document_completion_async(types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, character)))
        return {item.label: item.text_edit.new_text for item in result.items}

    last = len(text.split("\n")) - 1
    kinds = await offered(last - 3, len('kind = "'))
    assert kinds == {"tip": "tip", "promo": "promo", "question": "question"}
    assert await offered(last - 2, len('owner = "r')) == {"rina": "rina", "andi": "andi"}  # the editor filters on the prefix
    keys = await offered(last - 1, 0)
    assert {"at", "channel", "title", "approved_by", "status"} <= keys.keys() and not {"id", "kind", "owner"} & keys.keys()
    assert keys["at"] == "at = "
    statuses = await offered(position_of(plan, 'status = "scheduled"').line, len("status = "))
    assert statuses["approved"] == '"approved"'  # outside quotes, the quotes come too


@module_server
async def test_go_to_definition_from_a_posts_kind_channel_and_owner(client: LanguageClient):
    plan = DATA / "PUB002.toml"
    uri = await opened(client, plan)
    for needle, header in (('kind = "promo"', "[kinds.promo]"), ('channel = "instagram"', "[channels.instagram]"), ('owner = "rina"', "[team.rina]")):
        at = position_of(plan, needle, len(needle) - 3)
        location = await client.text_document_definition_async(types.DefinitionParams(types.TextDocumentIdentifier(uri), at))
        assert location.uri == uri and location.range.start == position_of(plan, header)


async def actions_for(client: LanguageClient, uri: str, code: str) -> list[types.CodeAction]:
    found = [d for d in client.diagnostics[uri] if d.code == code]
    context = types.CodeActionContext(diagnostics=found)
    actions = await client.text_document_code_action_async(types.CodeActionParams(types.TextDocumentIdentifier(uri), found[0].range, context))
    return [await client.code_action_resolve_async(action) if action.edit is None else action for action in actions]


@module_server
@pytest.mark.parametrize(
    "fixture, code, title",
    [
        ("CAD001", "CAD001", 'Fill instagram Mon 2027-01-18 10:00 with "An evergreen question" (bk-two)'),  # the first from today
        ("CAD002", "CAD002", "Move 'mon-2-evening' to the nearest slot that keeps the plan clean"),
        ("PUB002", "PUB002", "Add andi to approved_by of 'tue-1'"),
    ],
)
async def test_each_fix_clears_its_finding_and_keeps_the_plan_formatted(client: LanguageClient, tmp_path: Path, fixture: str, code: str, title: str):
    plan = tmp_path / "plan.toml"
    plan.write_text((DATA / f"{fixture}.toml").read_text(encoding="utf-8").replace("end = 2027-01-17", "end = 2027-01-31"), encoding="utf-8")
    assert run_cadence("fmt", str(plan)).returncode == 0  # laid out as cadence fmt lays it out, as the fix keeps it
    uri = await opened(client, plan)
    before = {(d["code"], d["fingerprint"]) for d in checked(plan)}
    action = (await actions_for(client, uri, code))[0]
    assert action.title == title and action.kind == "quickfix"
    plan.write_text(applied(plan.read_text(encoding="utf-8"), action.edit, uri), encoding="utf-8")
    after = {(d["code"], d["fingerprint"]) for d in checked(plan)}
    assert [finding for finding in before - after if finding[0] == code]  # its finding is gone
    if code != "CAD001":  # a filled slot holds an idea still to write up (PUB001), as `suggest --apply` leaves it
        assert after < before
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0


@module_server
async def test_outcomes_findings_appear_from_the_store_which_stays_untouched(client: LanguageClient, tmp_path: Path):
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "OUT004.toml", plan)
    store = tmp_path / ".cadence" / "outcomes.db"
    store.parent.mkdir()
    store_with((DATA / "OUT004.sql").read_text(), store, plan)
    written = (store.read_bytes(), store.stat().st_mtime_ns)
    uri = await opened(client, plan)
    assert "OUT004" in {d.code for d in client.diagnostics[uri]}
    assert as_check_reports(client.diagnostics[uri]) == expected_reports(plan)
    assert (store.read_bytes(), store.stat().st_mtime_ns) == written  # SQLite's -shm beside it is any reader's


async def test_db_names_the_store_of_every_plan_opened_as_check_db_does(tmp_path: Path):
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "OUT004.toml", plan)
    store = tmp_path / "elsewhere.db"  # not the plan's own: without --db its findings are not there
    store_with((DATA / "OUT004.sql").read_text(), store, plan)
    expected = sorted((d["line"], d["column"], d["code"], SEVERITY[d["severity"]], d["message"]) for d in checked(plan, "--db", str(store)))
    assert "OUT004" in {code for _, _, code, _, _ in expected} and expected != expected_reports(plan)
    client = await ClientServerConfig(server_command=[*SERVER, "--db", str(store)]).start()
    await client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    try:
        uri = await opened(client, plan)
        assert as_check_reports(client.diagnostics[uri]) == expected
        missing = tmp_path / "sub" / "plan.toml"  # a store named with --db must exist, as for check
        missing.parent.mkdir()
        shutil.copy(DATA / "OUT004.toml", missing)
        store.unlink()
        uri = await opened(client, missing)
        assert any(d.code is None and d.message.startswith("the outcomes store cannot be read: ") for d in client.diagnostics[uri])
    finally:
        await client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def emacs(lsp_client: LanguageClient):
    """A client as Emacs 29 is: it counts positions in code points first, and resolves no code action."""
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("emacs")))
    lsp_client.encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


async def test_a_client_that_cannot_resolve_gets_the_fix_at_once_in_its_own_units(emacs: LanguageClient, tmp_path: Path):
    assert emacs.encoding == "utf-32"
    plan = tmp_path / "plan.toml"
    text = (DATA / "CAD002.toml").read_text(encoding="utf-8").replace("end = 2027-01-17", "end = 2027-01-31")
    plan.write_text(text.replace('"Meet our head roaster"', '"🙂 Meet our head roaster 🙂"'), encoding="utf-8")
    assert run_cadence("fmt", str(plan)).returncode == 0
    uri = await opened(emacs, plan)
    (action,) = await actions_for(emacs, uri, "CAD002")
    assert action.data is None and action.edit is not None  # made at once: this client would not ask for it
    plan.write_text(applied(plan.read_text(encoding="utf-8"), action.edit, uri, wide=1), encoding="utf-8")
    assert "CAD002" not in {d["code"] for d in checked(plan)} and run_cadence("fmt", "--check", str(plan)).returncode == 0
    broken = tmp_path / "broken.toml"
    line = 'title = "🙂 unterminated'
    uri = await opened(emacs, broken, text.replace('title = "Meet our head roaster"', line))
    (problem,) = emacs.diagnostics[uri]
    assert problem.message.startswith("invalid TOML") and problem.range.end.character == len(line)  # code points


@module_server
async def test_a_store_that_cannot_be_read_is_one_finding_and_the_others_still_show(client: LanguageClient, tmp_path: Path):
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "PUB002.toml", plan)
    (tmp_path / ".cadence").mkdir()
    (tmp_path / ".cadence" / "outcomes.db").write_bytes(b"not a database, " * 100)
    uri = await opened(client, plan)
    store, *others = sorted(client.diagnostics[uri], key=lambda d: d.code or "")
    assert store.code is None and store.message.startswith("the outcomes store cannot be read: ") and store.range.start.line == 1  # [plan]
    assert "PUB002" in {d.code for d in others}


NVIM = shutil.which("nvim")
ATTACH = """
local plan = vim.fn.expand("%:p")
local client = vim.lsp.start_client({ name = "cadence", cmd = vim.fn.json_decode(vim.env.CADENCE_LSP), root_dir = vim.fn.expand("%:p:h") })
vim.lsp.buf_attach_client(0, client)
local arrived = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(found, { line = d.lnum + 1, column = d.col + 1, severity = d.severity, code = lsp.code or vim.NIL, message = d.message })
end
io.stdout:write(vim.fn.json_encode({ arrived = arrived, diagnostics = found }) .. "\\n")
vim.lsp.stop_client(client)
vim.cmd("qall!")
"""


@pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed: apt-get install neovim")
def test_neovim_shows_the_findings_cadence_check_reports(tmp_path: Path):
    script = tmp_path / "attach.lua"
    script.write_text(ATTACH, encoding="utf-8")
    plan = SAMPLES / "lumen-saas-berlin.toml"
    env = {**os.environ, "CADENCE_LSP": json.dumps(SERVER), "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}
    result = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", "NONE", str(plan), "-c", f"luafile {script}"],
        capture_output=True, text=True, timeout=90, cwd=ROOT, env=env, check=False,
    )
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["arrived"], result.stderr
    reports = sorted((d["line"], d["column"], d["code"], d["severity"], d["message"].split("\nhelp: ")[0]) for d in shown["diagnostics"])
    assert reports == expected_reports(plan)


def test_a_date_that_is_no_day_stops_the_server_before_it_starts():
    result = run_cadence("lsp", env={"CADENCE_TODAY": "someday"})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "cadence: error: CADENCE_TODAY='someday' is not a date; write it as YYYY-MM-DD\n"
