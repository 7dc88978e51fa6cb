"""`govqa bot`: run the Telegram bot, configured from the settings."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

import click

from bot.config import BotConfig, BotConfigError, WorkerSetup, require_token
from govqa.commands.shared import GovqaError, _Context, _translate_errors, pass_context
from govqa.settings import Settings

if TYPE_CHECKING:
    from govqa.services import Services


def bot_config(settings: Settings) -> BotConfig:
    """What the bot reads of ``settings``, as plain values (the token is not checked here)."""
    return BotConfig(
        token=settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        webhook_url=settings.telegram_webhook_url,
        allowed_chats=settings.allowed_chats,
        admins=settings.admins,
        rate_limit=settings.telegram_rate_limit,
        ingest_timeout=settings.telegram_ingest_timeout,
        max_file_mb=settings.max_file_mb,
        uploads_dir=settings.resolved_data_dir / "uploads",
        worker=WorkerSetup(
            embeddings=functools.partial(_upload_embeddings, _worker_settings(settings)),
            max_chars=settings.max_chars,
            log_level=settings.log_level,
        ),
    )


def _worker_settings(settings: Settings) -> dict[str, Any]:
    """The settings the upload worker needs, as plain values: everything but the secrets."""
    data: dict[str, Any] = settings.model_dump(
        mode="json", exclude={"telegram_bot_token", "llm_api_key"}
    )
    return data


def _upload_embeddings(values: dict[str, Any]) -> Any:
    """In the upload worker: the embedding model of the settings ``values`` (pickled by the
    bot with the job, so a function of this module, found by name)."""
    from govqa.backends import embedding_config
    from retrieval.embeddings import make_embeddings

    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    return make_embeddings(embedding_config(settings))


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
