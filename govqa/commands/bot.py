"""`govqa bot`: run the Telegram bot, configured from the settings."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

import click

from bot.config import BotConfig, BotConfigError, WorkerSetup, require_token
from govqa.commands.shared import GovqaError, _Context, _translate_errors, pass_context
from govqa.settings import Settings

if TYPE_CHECKING:
    from govqa.services import Services


def bot_config(settings: Settings) -> BotConfig:
    """What the bot reads of ``settings``, as plain values (the token is not checked here)."""
    from govqa.backends import embedding_config
    from retrieval.embeddings import make_embeddings

    telegram = settings.telegram
    return BotConfig(
        token=telegram.bot_token.get_secret_value(),
        base_url=telegram.base_url,
        webhook_url=telegram.webhook_url,
        allowed_chats=telegram.allowed_chats,
        admins=telegram.admins,
        rate_limit=telegram.rate_limit,
        ingest_timeout=telegram.ingest_timeout,
        max_file_mb=settings.ingest.max_file_mb,
        uploads_dir=settings.store.resolved_data_dir / "uploads",
        worker=WorkerSetup(
            # pickled with each upload job: a module-level function and a frozen dataclass
            # of plain values, no secret
            embeddings=functools.partial(make_embeddings, embedding_config(settings.embedding)),
            max_chars=settings.ingest.max_chars,
            log_level=settings.log_level,
            ocr=settings.ingest.ocr_limits,
        ),
    )


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
    config = bot_config(obj.settings)
    try:
        require_token(config.token)
    except BotConfigError as e:
        raise GovqaError(f'{e} (see README, "Run the Telegram bot")') from None
    from bot.app import build_application, check_run_mode, run

    try:
        check_run_mode(config)
    except BotConfigError as e:
        raise GovqaError(str(e)) from e
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, token included
    with _translate_errors():
        services: Services = obj.services
        application = build_application(config, services)
        try:
            run(application, config, listen=listen, port=port)
        except BotConfigError as e:
            raise GovqaError(str(e)) from e
