"""Secrets never reach an output: :mod:`bot.redaction`, under the name the CLI has used.

The registry of secrets lives there, once, so that the CLI and the bot hide the same ones;
this module only gives its functions their older name.
"""

from __future__ import annotations

from bot.redaction import hide, hide_bot_token, scrub

__all__ = ["hide", "hide_bot_token", "scrub"]
