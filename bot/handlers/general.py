"""/start, /help, the command menu, and what a failed update tells the user."""

from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError

from bot import messages
from bot.formatting import Line, bold, line
from bot.handlers.common import logger, say
from bot.replies import send_lines
from bot.state import BotContext
from ingest.script import Script

# The command menu and /help: each command with the message key of its description.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "cmd_start"),
    ("help", "cmd_help"),
    ("ask", "cmd_ask"),
    ("officials", "cmd_officials"),
    ("meetings", "cmd_meetings"),
    ("figures", "cmd_figures"),
    ("brief", "cmd_brief"),
    ("stats", "cmd_stats"),
    ("sources", "cmd_sources"),
    ("reset", "cmd_reset"),
)


def _help_lines(script: Script) -> list[Line]:
    lines: list[Line] = [line(bold(messages.text("help_title", script)))]
    for command, key in COMMANDS:
        lines.append(line(f"/{command} — {messages.text(key, script)}"))
    lines.append(line(""))
    lines.append(line(messages.text("help_footer", script)))
    return lines


async def start(update: Update, context: BotContext) -> None:
    """Greet the user and show an example question."""
    script = messages.script_for(update)
    await say(
        update, context, [line(messages.text("welcome", script)), line(""), *_help_lines(script)]
    )


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands."""
    await say(update, context, _help_lines(messages.script_for(update)))


async def on_error(update: object, context: BotContext) -> None:
    """Log a failed update with its traceback; tell the user briefly, never the traceback."""
    logger.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    message = update.effective_message
    script = messages.script_for(update, message.text if message else None)
    try:
        await send_lines(
            context.bot, update.effective_chat.id, [line(messages.text("error", script))]
        )
    except TelegramError:
        logger.warning(
            "chat %s: could not report the error", update.effective_chat.id, exc_info=True
        )
