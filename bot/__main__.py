"""``python -m bot``: see bot/cli.py."""

import os
import sys

from bot.cli import main

try:
    sys.exit(main())
except BrokenPipeError:  # e.g. `python -m bot triage ... | head`
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
