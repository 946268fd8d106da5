"""The file changed on disk since it was opened: reload it, save the edits elsewhere, or wait."""

from __future__ import annotations

from calendar_tui.screens.confirm import ChoiceScreen


class ConflictScreen(ChoiceScreen):
    """Dismissed with "reload", "save-as" or "cancel"."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} changed on disk since it was opened.\nSaving would overwrite that change, so nothing was written.",
            [("reload", "Reload, dropping my edits", "r", "error"), ("save-as", "Save as…", "s", "primary"), ("cancel", "Cancel", "esc", "default")],
            danger=True,
        )
