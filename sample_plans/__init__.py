"""Real-looking plans a new user can open at once. A package, so that the plans are installed
with cadence: a bare ``cadence`` opens one of them as its demo (see
:func:`calendar_tui.commands.opening.demo_plan`)."""
