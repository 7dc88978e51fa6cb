"""Typed settings, read once at the entry point from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models import BUNDLED_MODEL


class Settings(BaseSettings):
    """Every knob govqa has. Environment variables use the prefix ``GOVQA_``."""

    model_config = SettingsConfigDict(
        env_prefix="GOVQA_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    data_dir: Path = Field(
        default=Path("./data"),
        description="Where the embedded Chroma database and the report catalogue live.",
    )
    model_dir: Path = Field(
        default=Path("~/.cache/govqa/models"),
        description="Where `govqa models prepare` writes the bundled model folder.",
    )
    embedding_model: str = Field(
        default=BUNDLED_MODEL,
        description=(
            "The embedding model: the bundled multilingual-e5-small (default), or any "
            "sentence-transformers model name or local folder."
        ),
    )
    embedding_backend: Literal["auto", "torch", "onnx"] = Field(
        default="auto",
        description="onnx: an int8 ONNX build of the bundled model (built once), 1.4x faster "
        "and without torch at run time. torch: the fp32 sentence-transformers model. "
        "auto: onnx for the bundled model, torch for any other.",
    )
    embedding_batch_size: int = Field(
        default=8, ge=1, description="How many chunks are embedded in one batch."
    )
    chroma_url: str = Field(
        default="",
        description="Empty: an embedded persistent Chroma in the data dir. "
        "Otherwise the URL of a `chroma run` server, e.g. http://127.0.0.1:8000.",
    )
    collection: str = Field(default="govqa", min_length=3, description="Chroma collection name.")
    max_file_mb: float = Field(
        default=20.0, gt=0, description="Files larger than this are refused at ingest."
    )
    max_chars: int = Field(
        default=2_000_000,
        gt=0,
        description="A report whose extracted text is longer than this many characters is "
        "refused at ingest (listed among the failures), not cut.",
    )
    top_k: int = Field(default=5, ge=1, description="Sources cited per answer.")
    dense_weight: float = Field(
        default=0.3,
        ge=0,
        description="Chinese questions: weight of the embedding scores against BM25's (1) "
        "in the hybrid fusion. English questions always lead with the embeddings.",
    )
    lexical_weight: float = Field(
        default=1.0, ge=0, description="Weight of the BM25 ranking in the hybrid fusion."
    )
    llm: Literal["none", "openai"] = Field(
        default="none",
        description="none: the extractive answerer (offline). openai: any OpenAI-compatible "
        "chat endpoint writes the answer, checked by a verifier.",
    )
    llm_base_url: str = Field(
        default="", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1"
    )
    llm_model: str = Field(default="", description="Model name at that endpoint.")
    llm_api_key: SecretStr = Field(
        default=SecretStr(""), description="API key for the endpoint (empty for local servers)."
    )
    llm_timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the LLM before answering without it."
    )
    telegram_bot_token: SecretStr = Field(
        default=SecretStr(""),
        validation_alias="TELEGRAM_BOT_TOKEN",
        description="The bot's token from @BotFather (needed by `govqa bot`).",
    )
    telegram_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL; point it at a local Bot API server if you run one.",
    )
    telegram_allowed_chats: str = Field(
        default="", description="Comma-separated chat ids that may ask; empty = anyone."
    )
    telegram_admins: str = Field(
        default="", description="Comma-separated user ids that may upload reports."
    )
    telegram_webhook_url: str = Field(
        default="", description="Public HTTPS URL for webhook mode; empty = long polling."
    )
    telegram_ingest_timeout: float = Field(
        default=300.0,
        gt=0,
        description="Seconds an uploaded report may take to ingest (read, embed); after "
        "that the bot gives up on it and stores nothing of it.",
    )
    telegram_rate_limit: int = Field(
        default=20,
        ge=0,
        description="Questions a chat may ask per minute; more get one polite message "
        "instead of answers. 0 = no limit.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="WARNING", description="Logging level of the command line."
    )

    @field_validator("telegram_allowed_chats", "telegram_admins")
    @classmethod
    def _numeric_ids(cls, value: str) -> str:
        _ids(value)  # refused at start-up, not when the bot first reads it
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        try:
            url = urlsplit(value)
            url.port  # noqa: B018 - raises on a port out of range
        except ValueError as e:
            raise ValueError(f"not a URL ({e}): {value!r}") from e
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"not an http:// or https:// URL: {value!r}")
        return value

    @property
    def backend(self) -> Literal["torch", "onnx"]:
        """The embedding backend in use (``auto`` resolved)."""
        if self.embedding_backend == "auto":
            return "onnx" if self.embedding_model == BUNDLED_MODEL else "torch"
        return self.embedding_backend

    @property
    def encoder_id(self) -> str:
        """What made the vectors; a collection refuses vectors from another encoder."""
        if self.backend == "onnx":
            return f"{self.embedding_model}+onnx-int8"
        return self.embedding_model

    @property
    def allowed_chats(self) -> frozenset[int]:
        return _ids(self.telegram_allowed_chats)

    @property
    def admins(self) -> frozenset[int]:
        return _ids(self.telegram_admins)

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def resolved_model_dir(self) -> Path:
        return self.model_dir.expanduser().resolve()


def _ids(text: str) -> frozenset[int]:
    """ "123, -100456" → {123, -100456}; a value that is not a number is a config error."""
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError as e:
        raise ValueError(f"not a comma-separated list of numeric ids: {text!r}") from e


class ConfigError(Exception):
    """A setting that does not parse (message is one sentence naming the variable)."""


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment and `.env`; a bad value raises ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as e:
        raise ConfigError(describe_errors(e)) from e


def describe_errors(error: ValidationError) -> str:
    """Each bad value as "GOVQA_TOP_K: not a whole number: 'x'", without pydantic's
    tutorial; a secret's value is never repeated."""
    return "; ".join(_describe(detail) for detail in error.errors())


_REASONS = {
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "bool_parsing": "not true or false",
}
_SECRETS = {"telegram_bot_token", "llm_api_key", "TELEGRAM_BOT_TOKEN"}


def _describe(detail: Any) -> str:
    loc = [str(part) for part in detail.get("loc", ())]
    name = _variable(loc)
    message = str(detail.get("msg", "not valid"))
    kind = detail.get("type", "")
    if kind == "value_error":  # our own validators' sentences carry the value
        return f"{name}: {message.removeprefix('Value error, ')}"
    reason = _REASONS.get(kind) or message.removeprefix("Input ").removeprefix("String ")
    if loc and loc[0] in _SECRETS or "input" not in detail:
        return f"{name}: {reason}"
    value = detail["input"]
    shown = repr(value if len(str(value)) <= 60 else f"{str(value)[:57]}...")
    if reason.startswith("should"):  # "GOVQA_LLM: should be 'none' or 'openai', not 'foo'"
        return f"{name}: {reason}, not {shown}"
    return f"{name}: {reason}: {shown}"


def _variable(loc: list[str]) -> str:
    """The environment variable a pydantic location stands for."""
    if not loc:
        return "configuration"
    field = Settings.model_fields.get(loc[0])
    if field is None:  # already an alias, e.g. TELEGRAM_BOT_TOKEN
        return loc[0].upper()
    if isinstance(field.validation_alias, str):
        return field.validation_alias
    prefix = Settings.model_config.get("env_prefix", "")
    return (prefix + "__".join(loc)).upper()
