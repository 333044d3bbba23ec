"""``python -m bot.adapters.discord``: the same as ``python -m bot discord``."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(["discord"]))
