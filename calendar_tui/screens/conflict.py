"""The plan changed on disk under the app: reload it, save the edits elsewhere, or go back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ConflictScreen(ModalScreen[str]):
    """Dismissed with "reload", "save-as" or "cancel"."""

    BINDINGS = [("r", "choose('reload')", "Reload"), ("s", "choose('save-as')", "Save as"), ("escape", "choose('cancel')", "Cancel")]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical { width: 72; height: auto; border: thick $error; background: $surface; padding: 1 2; }
    ConflictScreen Horizontal { height: auto; margin-top: 1; }
    ConflictScreen Button { margin-right: 1; }
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.path} changed on disk since it was opened.\nSaving would overwrite that change, so nothing was written.", markup=False)
            with Horizontal():
                yield Button("Reload, dropping my edits (r)", variant="error", id="reload")
                yield Button("Save as… (s)", variant="primary", id="save-as")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
