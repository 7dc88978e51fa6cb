"""`govqa bot`: run the Telegram bot."""

from __future__ import annotations

import logging

import click

from govqa.commands.shared import GovqaError, _Context, _translate_errors, pass_context


@click.command("bot")
@click.option("--listen", default="0.0.0.0", show_default=True, help="Webhook mode: address.")
@click.option("--port", default=8443, show_default=True, help="Webhook mode: port.")
@pass_context
def bot_command(obj: _Context, listen: str, port: int) -> None:
    """Run the Telegram bot: long polling, or a webhook if GOVQA_TELEGRAM_WEBHOOK_URL is set.

    Needs TELEGRAM_BOT_TOKEN (from @BotFather, in .env or the environment). The model and
    the index load once at start-up; GOVQA_TELEGRAM_ALLOWED_CHATS limits who may ask and
    GOVQA_TELEGRAM_ADMINS who may upload reports. Stop it with Ctrl+C.

    \b
    Examples:
      govqa bot
      GOVQA_TELEGRAM_ALLOWED_CHATS=-1001234567890 GOVQA_TELEGRAM_ADMINS=42 govqa bot
    """
    settings = obj.settings
    if not settings.telegram_bot_token.get_secret_value().strip():
        raise GovqaError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env "
            '(see README, "Run the Telegram bot")'
        )
    from bot.app import BotConfigError, build_application, check_run_mode, run

    try:
        check_run_mode(settings)
    except BotConfigError as e:
        raise GovqaError(str(e)) from e
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, token included
    with _translate_errors():
        application = build_application(settings, obj.services)
        try:
            run(application, settings, listen=listen, port=port)
        except BotConfigError as e:
            raise GovqaError(str(e)) from e
