"""The calendar's widgets, one per module; they get their data as attributes and send messages up."""
