"""Questions with buttons: yes/no (``ConfirmScreen``) and one of several (``ChoiceScreen``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ChoiceScreen(ModalScreen[str]):
    """Dismissed with the id of the choice taken by its key or button; escape is ``cancel``.

    ``choices`` are (id, label, key, variant); the label shows its key.
    """

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical { width: 76; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    ChoiceScreen.-danger > Vertical { border: thick $error; }
    ChoiceScreen Horizontal { height: auto; margin-top: 1; }
    ChoiceScreen Button { margin-right: 1; }
    """

    def __init__(self, question: str, choices: list[tuple[str, str, str, str]], cancel: str = "cancel", danger: bool = False) -> None:
        super().__init__(classes="-danger" if danger else "")
        self.question, self.choices, self.cancel = question, choices, cancel
        for choice, _, key, _ in choices:
            if key != "esc":  # escape is the cancel choice's
                self._bindings.bind(key, f"choose({choice!r})", show=False)
        self._bindings.bind("escape", f"choose({cancel!r})", show=False)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            with Horizontal():
                for choice, label, key, variant in self.choices:
                    yield Button(f"{label} ({key})", variant=variant, id=choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or self.cancel)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ConfirmScreen(ChoiceScreen):
    """A yes/no question, dismissed with True or False (y/n, the buttons, escape: no)."""

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(question, [("yes", yes, "y", "error"), ("no", no, "n", "default")], cancel="no")

    def dismiss(self, result=None):
        return super().dismiss(result == "yes")
