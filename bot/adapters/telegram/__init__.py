"""The Telegram adapter: a thin layer between Telegram updates and the triage core.

Entry points (see docs/CONTRACT.md):

* ``build_application(settings, triage, store) -> telegram.ext.Application``
* ``async serve(settings, triage, store, stop: asyncio.Event) -> None``

``python -m bot telegram`` runs it through bot/service.py.
"""

from bot.adapters.telegram.app import ConfigError, build_application, check_token, serve

__all__ = ["ConfigError", "build_application", "check_token", "serve"]
