"""Modal screens of the calendar app, one per module."""
