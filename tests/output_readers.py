"""The real readers of our output, for the tests: GitHub's runner (which lines it obeys as
workflow commands), a CommonMark/GFM renderer (markdown-it-py, as a pull-request comment shows
Markdown), and what a terminal obeys (control characters)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

# actions/runner src/Runner.Worker/ActionCommandManager.cs registers these (case does not matter)
RUNNER_COMMANDS = {
    "add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error", "group", "notice",
    "remove-matcher", "save-state", "set-env", "set-output", "stop-commands", "warning",
}
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def workflow_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """What GitHub's runner makes of a log line, as actions/runner's ActionCommand does it
    (src/Runner.Common/ActionCommand.cs): ``::name props::data`` once leading spaces are trimmed
    (TryParseV2), else ``##[name props]data`` anywhere in the line (TryParse). (name, properties,
    data) unescaped, or None for a line that is only shown."""
    trimmed = line.lstrip()
    end = trimmed.find("::", 2)
    if trimmed.startswith("::") and end >= 0:
        info = trimmed[2:end]
        name, _, properties = info.partition(" ")
        if name.lower() in RUNNER_COMMANDS:
            pairs = (pair.split("=", 1) for pair in properties.strip().split(",") if pair)
            unescape = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
            return name.lower(), {key: _replace(value, unescape) for key, value in (p for p in pairs if len(p) == 2)}, _replace(trimmed[end + 2 :], unescape[:2] + unescape[4:])
    start = line.find("##[")
    if start >= 0 and "]" in line[start:]:
        name = line[start + 3 : line.index("]", start)].split(" ")[0]
        if name.lower() in RUNNER_COMMANDS:
            return name.lower(), {}, line[line.index("]", start) + 1 :]
    return None


def _replace(text: str, pairs) -> str:
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text


ALLOWED_TAGS = {"h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "strong"}  # what our Markdown makes


class Rendered(HTMLParser):
    """The rendered page: its tags, the text of each element by tag, the text outside code, and
    the cells of each row of each table."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.open: list[str] = []
        self.outside_code: list[str] = []
        self.tables: list[list[int]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.open.append(tag)
        self.texts.setdefault(tag, []).append("")
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data):
        for tag in set(self.open):
            self.texts[tag][-1] += data
        if "code" not in self.open:
            self.outside_code.append(data)


def render(document: str) -> Rendered:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is in the test extra")
    return Rendered(markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(document))


def mentions(page: Rendered) -> list[str]:
    """``@name`` or ``@org/team`` in text GitHub would scan for mentions (not in code)."""
    return re.findall(r"(?<![\w`])@[A-Za-z0-9][\w/-]*", " ".join(page.outside_code))


def annotated_file(file: str, workspace: str) -> str:
    """The repository path GitHub puts an annotation on, for a workflow command's ``file``: the
    runner (IssueCommandExtension in src/Runner.Worker/ActionCommandManager.cs) makes a path
    under the workspace, the checkout, relative to it with IOUtil.MakeRelative and keeps any
    other as it is; GitHub then reads it from the repository's root, never from the folder the
    step ran in."""
    if not file.startswith(workspace):
        return file
    if len(file) == len(workspace):
        return ""
    if workspace.endswith("/"):
        return file[len(workspace) :]
    return file[len(workspace) + 1 :] if file[len(workspace)] == "/" else file


class HtmlPage(HTMLParser):
    """A page as a browser's parser reads it: its tags, every attribute, its text, and the
    contents of its <style> and <script> elements (what a Content-Security-Policy hash covers)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []  # (tag, name, value)
        self.text = ""
        self.inline: dict[str, list[str]] = {"style": [], "script": []}
        self._raw: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag in self.inline:
            self._raw = tag
            self.inline[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw:
            self.inline[self._raw][-1] += data
        else:
            self.text += data

    def values(self, name: str) -> list[str]:
        return [value or "" for _, attribute, value in self.attributes if attribute == name]
