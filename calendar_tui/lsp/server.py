"""The language server: pygls and lsprotocol around :mod:`calendar_tui.lsp.analysis`; its fixes are the app's use-cases.

Each open document is checked after the user stops typing for as long as its last check
took (at least :data:`QUIET_MIN`, at most :data:`QUIET_MAX`): a small plan's findings follow
each keystroke, a large plan's checks never queue up. Checks run in a worker thread, so the
server keeps answering hover and completion meanwhile; a check of a text that has changed
since is dropped. Nothing a document holds can stop the server: a plan problem (TOML syntax
included) is a diagnostic, and a failure of the checks themselves is reported as one too.

The server keeps its own copy of each document, with lines split on ``\\n`` (and ``\\r\\n``) as
the protocol and the loader count them.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import BinaryIO

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from calendar_tui.usecases.approve_post import add_approver, approvers
from calendar_tui.usecases.backlog_to_post import fill_gap
from calendar_tui.usecases.move_post import move_to_clean_place
from calendar_tui.lsp.analysis import (
    Analysis,
    Names,
    Placed,
    analyse,
    common_length,
    complete,
    completions,
    cursor_at,
    definition,
    hover,
    named_at,
    rule_docs,
)
from planner import __version__
from planner.errors import PlanError

QUIET_MIN = 0.02  # seconds without an edit before a check starts
QUIET_MAX = 0.15
AROUND_AFTER = 0.1  # seconds a whole check of the document takes from which an edit's days are checked first
FIRST_SENT = 2000  # findings sent at once after an edit: those nearest it; a plan with more gets the rest with the whole check
ACTIONS_SHOWN = 10  # code actions offered at one place (a channel's cadence line holds all its gaps)
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning, "info": types.DiagnosticSeverity.Information}


@dataclass(frozen=True)
class Document:
    """One version of an open document; an edit makes a new one."""

    uri: str
    text: str
    version: int | None

    @cached_property
    def path(self) -> str:
        return to_fs_path(self.uri) or self.uri  # an unsaved buffer has no file, and no store

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def offset(self, line: int, column: int) -> int:
        """The offset of a 0-based line and code point column."""
        lines = self.lines
        line = min(line, len(lines))
        return sum(len(written) + 1 for written in lines[:line]) + (min(column, len(lines[line])) if line < len(lines) else 0)


class PlanServer(LanguageServer):
    def __init__(self, today: date | None, store: str | None = None):
        super().__init__("cadence", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.today = today
        self.store = store  # --db: the outcomes store of every plan opened, instead of each plan's own
        self.documents: dict[str, Document] = {}
        self.analyses: dict[str, Analysis] = {}
        self.names: dict[str, Names] = {}  # from the last text of each document that was TOML
        self.cost: dict[str, float] = {}  # seconds the last check of each document took
        self.whole_cost: dict[str, float] = {}  # seconds the last check of the whole plan took
        self.pending: dict[str, asyncio.Task] = {}
        self.published: dict[str, dict[tuple, types.Diagnostic]] = {}  # each document's last, by finding and its line's text

    # -- documents and checks ----------------------------------------------------------------

    def open(self, document: Document) -> None:
        self.documents[document.uri] = document
        self.schedule(document.uri, 0)

    def change(self, uri: str, version: int, changes: list) -> None:
        document = self.documents.get(uri)
        if document is None:
            return
        text = document.text
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                current = Document(uri, text, version)
                start, end = (self.from_client(current, position) for position in (change.range.start, change.range.end))
                text = text[: current.offset(*start)] + change.text + text[current.offset(*end) :]
            else:
                text = change.text
        self.documents[uri] = Document(uri, text, version)
        self.schedule(uri, min(max(self.cost.get(uri, 0), QUIET_MIN), QUIET_MAX))

    def close(self, uri: str) -> None:
        for table in (self.documents, self.analyses, self.names, self.cost, self.whole_cost, self.published):
            table.pop(uri, None)
        if task := self.pending.pop(uri, None):
            task.cancel()
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def schedule(self, uri: str, delay: float) -> None:
        if task := self.pending.pop(uri, None):
            task.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self.check_later(uri, delay))

    async def check_later(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        document = self.documents.get(uri)
        if document is None:
            return
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(None, self.check, document)
        if self.documents.get(uri) is not document:
            return  # a newer text is on its way
        self.publish(document, analysis)
        if analysis.partial:  # the days around the edit first, then the whole plan
            started = time.perf_counter()
            analysis = await loop.run_in_executor(None, self.guarded, document, complete, analysis)
            self.whole_cost[uri] = time.perf_counter() - started
            if self.documents.get(uri) is document:
                self.publish(document, analysis)

    def check(self, document: Document) -> Analysis:
        started = time.perf_counter()
        around = self.whole_cost.get(document.uri, 0) > AROUND_AFTER  # a small plan is checked whole at once
        analysis = self.guarded(document, analyse, document.text, document.path, self.today, store=self.store, previous=self.analyses.get(document.uri), around=around)
        self.cost[document.uri] = time.perf_counter() - started
        if not analysis.partial:
            self.whole_cost[document.uri] = self.cost[document.uri]
        return analysis

    def guarded(self, document: Document, work, *args, **options) -> Analysis:
        """``work(*args)``'s analysis of the document, kept as its latest; a failure of the checks
        themselves is logged and shown as a finding: a bug in a rule must not take the editor's
        linter down with it."""
        try:
            analysis = work(*args, **options)
        except Exception:
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, traceback.format_exc()))
            analysis = Analysis(document.text, document.path, None, None, failure="cadence lsp could not check this plan (a bug: its log has the details)")
        self.analyses[document.uri] = analysis
        if analysis.names is not None:
            self.names[document.uri] = analysis.names
        return analysis

    def current(self, document: Document) -> Analysis:
        """The check of this very text: the last one, or a new one now."""
        analysis = self.analyses.get(document.uri)
        return analysis if analysis is not None and analysis.text == document.text.removeprefix("\ufeff") else self.check(document)

    def publish(self, document: Document, analysis: Analysis) -> None:
        """Send the findings; those sent last time, on a line that reads the same, are not converted again
        (an edit changes a few of a large plan's thousands). A partial analysis sends the
        :data:`FIRST_SENT` nearest the edit: sending, and the client's reading, 17,000 findings takes a second."""
        before, now, diagnostics = self.published.get(document.uri, {}), {}, []
        for placed in analysis.placed(FIRST_SENT if analysis.partial else None):
            key = (placed, document.lines[placed.line] if placed.line < len(document.lines) else "")
            now[key] = before.get(key) or self.diagnostic(document, placed)
            diagnostics.append(now[key])
        self.published[document.uri] = before | now if analysis.partial else now  # the whole check's publish reuses those not sent
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=document.uri, version=document.version, diagnostics=diagnostics))

    def diagnostic(self, document: Document, placed: Placed) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.to_client_range(document, placed.line, placed.start, placed.end),
            message=placed.message,
            severity=SEVERITY[placed.severity],
            code=placed.code,
            code_description=types.CodeDescription(href=rule_docs(placed.code)) if placed.code else None,
            source="cadence",
        )

    # -- positions: code points here, the client's units (UTF-16 unless agreed) there ---------

    def from_client(self, document: Document, position: types.Position) -> tuple[int, int]:
        if position.line >= len(document.lines):
            return len(document.lines), 0
        written = document.lines[position.line]
        units, column = 0, 0
        for character in written:
            if units >= position.character:
                break
            units += self.workspace.position_codec.client_num_units(character)
            column += 1
        return position.line, column

    def to_client(self, document: Document, line: int, column: int) -> types.Position:
        written = document.lines[line] if line < len(document.lines) else ""
        return types.Position(line, self.workspace.position_codec.client_num_units(written[:column]))

    def to_client_range(self, document: Document, line: int, start: int, end: int, end_line: int | None = None) -> types.Range:
        return types.Range(self.to_client(document, line, start), self.to_client(document, line if end_line is None else end_line, end))

    def edit(self, document: Document, new_text: str) -> types.WorkspaceEdit:
        """The change from the document's text to ``new_text`` as one edit of the lines that differ."""
        old = document.text
        prefix = common_length(old, new_text, lambda text, n: text[:n])
        suffix = common_length(old[prefix:], new_text[prefix:], lambda text, n: text[len(text) - n :])
        prefix = old.rfind("\n", 0, prefix) + 1  # whole lines: what the editor shows as changed
        start = self.to_client(document, old.count("\n", 0, prefix), 0)
        end_offset = len(old) - suffix
        end_line = old.count("\n", 0, end_offset)
        end = self.to_client(document, end_line, end_offset - (old.rfind("\n", 0, end_offset) + 1))
        replacement = new_text[prefix : len(new_text) - suffix]
        return types.WorkspaceEdit(changes={document.uri: [types.TextEdit(types.Range(start, end), replacement)]})

    # -- features ----------------------------------------------------------------------------

    def hover_at(self, document: Document, position: types.Position) -> types.Hover | None:
        line, column = self.from_client(document, position)
        cursor = cursor_at(document.lines, line, column)
        found = named_at(cursor)
        if found is None:
            return None
        text = hover(self.analyses.get(document.uri), self.names.get(document.uri, Names()), *found)
        if text is None:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), self.to_client_range(document, line, cursor.start, cursor.end))

    def complete_at(self, document: Document, position: types.Position) -> types.CompletionList:
        line, column = self.from_client(document, position)
        cursor = cursor_at(document.lines, line, column)
        offered = completions(self.names.get(document.uri, Names()), document.lines, cursor)
        replaced = self.to_client_range(document, line, cursor.start, cursor.end)
        items = []
        for label, detail in offered.items():
            if cursor.key is None:
                written, kind = f"{label} = ", types.CompletionItemKind.Property
            else:
                written, kind = (label if cursor.quoted else f'"{label}"'), types.CompletionItemKind.EnumMember
            items.append(types.CompletionItem(label=label, detail=detail or None, kind=kind, text_edit=types.TextEdit(replaced, written), filter_text=label))
        return types.CompletionList(is_incomplete=False, items=items)

    def definition_at(self, document: Document, position: types.Position) -> types.Location | None:
        line, column = self.from_client(document, position)
        found = named_at(cursor_at(document.lines, line, column))
        analysis = self.current(document)
        where = definition(analysis, self.names.get(document.uri, Names()), *found) if found and found[0] != "rule" else None
        if where is None:
            return None
        target, start, end = analysis.span(*where)
        return types.Location(document.uri, self.to_client_range(document, target, start, end))

    def actions_at(self, document: Document, selected: types.Range) -> list[types.CodeAction]:
        """The fixes for the findings on the selected lines; a move's edit is made when resolved
        (it checks the plan once per place it tries) if the client can resolve, else now."""
        analysis = self.current(document)
        if analysis.plan is None:
            return []
        first, last = selected.start.line, selected.end.line
        found = [placed for placed in analysis.placed() if placed.diagnostic and first <= placed.line <= last]
        actions = []
        for placed in found:
            for title, fix in self.fixes_for(analysis, placed):
                action = types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[self.diagnostic(document, placed)])
                actions.append((action, fix))
        actions = actions[:ACTIONS_SHOWN]
        lazy = self.resolves_edits()
        for action, fix in actions:
            if lazy and fix[0] == "move":
                action.data = {"uri": document.uri, "version": document.version, "fix": list(fix)}
            else:
                action.edit = self.edit_for(document, analysis, fix)
        return [action for action, _ in actions if action.data or action.edit]

    def fixes_for(self, analysis: Analysis, placed: Placed) -> list[tuple[str, tuple]]:
        d, plan, context = placed.diagnostic, analysis.plan, analysis.context
        if d.code == "CAD001" and d.at is not None and d.channel and d.date >= context.today:  # a past slot stays a record
            best = context.suggester.best(d.channel, int(d.at.timestamp()), 1)
            if best:
                return [(f'Fill {d.channel} {d.at:%a %Y-%m-%d %H:%M} with "{best[0].title}" ({best[0].id})', ("fill", d.channel, d.at.isoformat(), best[0].id))]
        if d.code == "CAD002":
            post = next((post for post in plan.posts if post.id in d.post_ids and plan.locate(("post", post.index)) == (d.line, d.column)), None)
            if post is not None:
                return [(f"Move {post.id!r} to the nearest slot that keeps the plan clean", ("move", post.id))]
        if d.code == "PUB002" and len(d.post_ids) == 1:
            post = next(post for post in plan.posts if post.id == d.post_ids[0])
            return [(f"Add {name} to approved_by of {post.id!r}", ("approve", post.id, name)) for name in approvers(plan, post)]
        return []

    def edit_for(self, document: Document, analysis: Analysis, fix: list | tuple) -> types.WorkspaceEdit | None:
        """The fix's edit of this text, or None when it no longer applies."""
        plan, text = analysis.plan, analysis.text
        try:  # the use-cases the command line and the app call: each checks the plan it makes
            if fix[0] == "fill":
                new = fill_gap(text, plan.path, fix[1], datetime.fromisoformat(fix[2]), analysis.context.today, fix[3]).text
            elif fix[0] == "approve":
                new = add_approver(text, plan.path, fix[1], fix[2]).text
            else:
                new = move_to_clean_place(text, plan.path, fix[1], analysis.context.today, plan).text
        except (PlanError, LookupError, ValueError):  # the plan changed under the fix, or no place keeps it clean
            return None
        return self.edit(document, ("\ufeff" if document.text.startswith("\ufeff") else "") + new)

    def resolves_edits(self) -> bool:
        code_action = self.client_capabilities.text_document and self.client_capabilities.text_document.code_action
        support = code_action and code_action.resolve_support
        return bool(support and "edit" in support.properties)

    def resolve(self, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        document = self.documents.get(data.get("uri", ""))
        if document is not None and document.version == data.get("version") and isinstance(data.get("fix"), list):
            analysis = self.current(document)
            if analysis.plan is not None:
                action.edit = self.edit_for(document, analysis, data["fix"])
        if action.edit is None:
            action.disabled = types.CodeActionDisabledReason("no place nearby keeps the plan clean, or the plan changed")
        return action


def build(today: date | None = None, store: str | None = None) -> PlanServer:
    server = PlanServer(today, store)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PlanServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open(Document(params.text_document.uri, params.text_document.text, params.text_document.version))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PlanServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.change(params.text_document.uri, params.text_document.version, params.content_changes)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PlanServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)  # the store beside it may have changed too

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PlanServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: PlanServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.documents.get(params.text_document.uri)
        return ls.hover_at(document, params.position) if document else None

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"']))
    def on_completion(ls: PlanServer, params: types.CompletionParams) -> types.CompletionList | None:
        document = ls.documents.get(params.text_document.uri)
        return ls.complete_at(document, params.position) if document else None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: PlanServer, params: types.DefinitionParams) -> types.Location | None:
        document = ls.documents.get(params.text_document.uri)
        return ls.definition_at(document, params.position) if document else None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=True))
    def on_code_action(ls: PlanServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        document = ls.documents.get(params.text_document.uri)
        return ls.actions_at(document, params.range) if document else None

    @server.feature(types.CODE_ACTION_RESOLVE)
    def on_resolve(ls: PlanServer, action: types.CodeAction) -> types.CodeAction:
        return ls.resolve(action)

    return server


def serve(today: date | None, stdin: BinaryIO, stdout: BinaryIO, store: str | None = None) -> None:
    """Run the server on these streams until the editor shuts it down."""
    build(today, store).start_io(stdin, stdout)
