"""The findings of `cadence check` for the visible range; enter jumps to the day."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from balance.diagnostic import Diagnostic

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class DiagnosticsPanel(OptionList):
    DEFAULT_CSS = """
    DiagnosticsPanel { height: 1fr; border: none; padding: 0; }
    """

    class Jump(Message):
        """The user picked a finding: show its day."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.findings: list[Diagnostic] = []

    def show(self, findings: list[Diagnostic]) -> None:
        if findings == self.findings:
            return
        self.findings = findings
        highlighted = self.highlighted
        self.clear_options()
        if not findings:
            self.add_option(Option(Text("no findings in view", style="dim"), disabled=True))
            return
        for n, finding in enumerate(findings):
            label = Text()
            label.append(finding.code, style=_STYLE[finding.severity])
            label.append(f" {finding.date:%d %b}" if finding.date else " plan")
            label.append(f" {finding.message}")
            self.add_option(Option(label, id=str(n)))
        if highlighted is not None and highlighted < len(findings):
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        finding = self.findings[int(event.option.id)]
        if finding.date is not None:
            self.post_message(self.Jump(finding.date))
