"""The use-cases: each edit and action of a plan written once, for every front end.

The command line (``calendar_tui.commands``) parses arguments, calls a use-case and prints its
result; the app (``calendar_tui.session``, presented by ``calendar_tui.app``) adapts them to an
editing session. A use-case takes a plan (or its text, or its path) and arguments and returns a
plain result or raises a domain error: it never prints, never reads argv, and never imports
textual, rich or argparse. Every writer keeps one order: the edited plan is checked first, then
the store and the plan are written together, or neither (``planner.outcomes.record``).
docs/architecture-usecases.md lists them.
"""
