"""``cadence lsp``: the plan checked in the editor, over the Language Server Protocol.

:mod:`calendar_tui.lsp.analysis` checks a document's text and says what its names are,
:mod:`calendar_tui.lsp.fixes` makes the code actions' edits, and :mod:`calendar_tui.lsp.server`
speaks the protocol (pygls). Only the server imports pygls; none of them imports textual.
"""
