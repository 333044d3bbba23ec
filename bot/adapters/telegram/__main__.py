"""``python -m bot.adapters.telegram``: the same as ``python -m bot telegram``."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(["telegram"]))
