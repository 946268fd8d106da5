"""One module per use-case (add a post, move it, fill a gap, log it, import, export): plain Python
that takes a plan or a path and returns a dataclass, with no textual or argparse import. Each
front end (the command line, the app) parses its input, calls the use-case and presents the
result."""
