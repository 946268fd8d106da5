"""One module per ``cadence`` command.

Each module has ``register(commands)``, which adds its sub-parser and sets ``run`` as the
handler, and ``run(args) -> int``, which returns the exit status. Modules import heavy things
inside ``run``, so building the parser stays cheap and ``cadence check`` never loads textual.
To add a command, write its module and name it in ``COMMANDS`` (the order of ``--help``).
"""

COMMANDS = ("check", "diff", "suggest", "add", "fmt", "importing", "export", "log", "metrics", "report", "rules", "opening", "serve", "init", "merge_driver", "lsp")
