"""``cadence lsp``: the plan checked in the editor, over the Language Server Protocol.

:mod:`calendar_tui.lsp.analysis` checks a document's text and says what its names are, and
:mod:`calendar_tui.lsp.server` speaks the protocol (pygls); the code actions' edits are the
use-cases the command line and the app call (:mod:`calendar_tui.usecases`). Only the server imports pygls; none of them imports textual.
"""
