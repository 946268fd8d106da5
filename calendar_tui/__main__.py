import sys

from calendar_tui.cli import main

sys.exit(main())
