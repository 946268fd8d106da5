"""Pick a backlog idea for an open slot: only ideas that keep the mix, best first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from planner.model import BacklogIdea


class BacklogPicker(ModalScreen[str | None]):
    """Dismissed with the chosen idea's id, or None."""

    BINDINGS = [("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    BacklogPicker { align: center middle; }
    BacklogPicker > Vertical { width: 76; height: auto; max-height: 80%; border: thick $accent; background: $surface; padding: 1 2; }
    BacklogPicker OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, slot_label: str, ideas: list[BacklogIdea]) -> None:
        super().__init__()
        self.slot_label, self.ideas = slot_label, ideas

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Fill {self.slot_label} from the backlog", markup=False)
            if not self.ideas:
                yield Label("No backlog idea fits this slot without breaking the mix. Add ideas to [[backlog]].", markup=False)
            options = [Option(Text.assemble((idea.kind, "bold"), f"  {idea.title}  ", (idea.id, "dim")), id=idea.id) for idea in self.ideas]
            yield OptionList(*options, id="ideas")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
