"""Discord adapter: slash commands, a message context menu, buttons and opt-in help-channel answers.

Public entry points (see docs/CONTRACT.md):

* ``build_bot(settings, triage, store) -> ReviveBot``: a configured, unconnected client.
* ``await serve(settings, triage, store, stop)``: run until ``stop`` is set.

``bot/service.py`` starts it (``python -m bot discord`` or ``run``), with the signals and exit codes.
"""

from bot.adapters.discord.client import ReviveBot, apply_endpoints, build_bot, serve

__all__ = ["ReviveBot", "apply_endpoints", "build_bot", "serve"]
