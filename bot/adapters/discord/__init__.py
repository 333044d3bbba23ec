"""Discord adapter: slash commands, a message context menu, buttons and opt-in help-channel answers.

Public entry points (see docs/CONTRACT.md):

* ``build_bot(settings, triage, store) -> ReviveBot``: a configured, unconnected client.
* ``await serve(settings, triage, store, stop)``: run until ``stop`` is set.
* ``run(settings, triage, store) -> int``: blocking; SIGINT/SIGTERM end it with exit code 0.
"""

from bot.adapters.discord.client import ReviveBot, apply_endpoints, build_bot, run, serve

__all__ = ["ReviveBot", "apply_endpoints", "build_bot", "run", "serve"]
