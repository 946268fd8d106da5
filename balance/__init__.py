"""The checks engine: rules over a plan, and the diagnostics they report.

Plain Python on top of :mod:`planner`; it never imports textual or rich.
"""
