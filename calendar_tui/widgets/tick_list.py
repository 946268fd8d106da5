"""A selection list that shows a tick on its ticked boxes (the filter dialog's lists)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class TickList(SelectionList[str]):
    """A selection list whose ticked boxes show ✓ on green and unticked ones stay empty: the
    stock list draws an X in both, told apart by a shade alone."""

    DEFAULT_CSS = """
    TickList > .selection-list--button, TickList > .selection-list--button-highlighted { background: $panel-lighten-2; }
    TickList > .selection-list--button-selected, TickList > .selection-list--button-selected-highlighted { color: $text; background: $success; text-style: bold; }
    """

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment("✓" if option.value in self._selected else " ", segments[1].style)
        return Strip(segments, line.cell_length)
