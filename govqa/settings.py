"""Typed settings, read once at the entry point from the environment and `.env`.

Code reads them by concern — ``settings.store.data_dir``, ``settings.llm.base_url``,
``settings.telegram.bot_token`` — while users keep the flat variable names they know:
each field names its variable beside it with :class:`Env` (``GOVQA_DATA_DIR``, not
pydantic-settings' nested ``GOVQA_STORE__DATA_DIR``), and :class:`_Variables` reads them
into the sections. A value that does not parse is reported under that variable's name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo

if TYPE_CHECKING:
    from ingest.ocr import OcrLimits
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from models import BUNDLED_MODEL


@dataclass(frozen=True)
class Env:
    """The variable a setting is read from, in the environment or in `.env`."""

    name: str


class _Section(BaseModel):
    """A group of settings for one concern; read-only, and a misspelt field is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class EmbeddingSettings(_Section):
    """The embedding model and how it runs."""

    model: Annotated[str, Env("GOVQA_EMBEDDING_MODEL")] = Field(
        default=BUNDLED_MODEL,
        description=(
            "The embedding model: the bundled multilingual-e5-small (default), or any "
            "sentence-transformers model name or local folder."
        ),
    )
    backend: Annotated[Literal["auto", "torch", "onnx"], Env("GOVQA_EMBEDDING_BACKEND")] = Field(
        default="auto",
        description="onnx: an int8 ONNX build of the bundled model (built once), 1.4x faster "
        "and without torch at run time. torch: the fp32 sentence-transformers model. "
        "auto: onnx for the bundled model, torch for any other.",
    )
    batch_size: Annotated[int, Env("GOVQA_EMBEDDING_BATCH_SIZE")] = Field(
        default=8, ge=1, description="How many chunks are embedded in one batch."
    )
    model_dir: Annotated[Path, Env("GOVQA_MODEL_DIR")] = Field(
        default=Path("~/.cache/govqa/models"),
        description="Where `govqa models prepare` writes the bundled model folder.",
    )

    @property
    def resolved_backend(self) -> Literal["torch", "onnx"]:
        """The embedding backend in use (``auto`` resolved)."""
        if self.backend == "auto":
            return "onnx" if self.model == BUNDLED_MODEL else "torch"
        return self.backend

    @property
    def encoder_id(self) -> str:
        """What made the vectors; a collection refuses vectors from another encoder."""
        if self.resolved_backend == "onnx":
            return f"{self.model}+onnx-int8"
        return self.model

    @property
    def resolved_model_dir(self) -> Path:
        return self.model_dir.expanduser().resolve()


class StoreSettings(_Section):
    """Where the index lives: the data dir, and Chroma embedded there or on a server."""

    data_dir: Annotated[Path, Env("GOVQA_DATA_DIR")] = Field(
        default=Path("./data"),
        description="Where the embedded Chroma database and the report catalogue live.",
    )
    chroma_url: Annotated[str, Env("GOVQA_CHROMA_URL")] = Field(
        default="",
        description="Empty: an embedded persistent Chroma in the data dir. "
        "Otherwise the URL of a `chroma run` server, e.g. http://127.0.0.1:8000.",
    )
    collection: Annotated[str, Env("GOVQA_COLLECTION")] = Field(
        default="govqa", min_length=3, description="Chroma collection name."
    )

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()


class IngestSettings(_Section):
    """What ingest accepts: bounded work per file."""

    max_file_mb: Annotated[float, Env("GOVQA_MAX_FILE_MB")] = Field(
        default=20.0, gt=0, description="Files larger than this are refused at ingest."
    )
    max_chars: Annotated[int, Env("GOVQA_MAX_CHARS")] = Field(
        default=2_000_000,
        gt=0,
        description="A report whose extracted text is longer than this many characters is "
        "refused at ingest (listed among the failures), not cut.",
    )

    ocr: Annotated[bool, Env("GOVQA_OCR")] = Field(
        default=True,
        description="Read pictures (.png, .jpg, .webp, .tif) and PDF pages without a text "
        "layer by OCR (the models ship with govqa; nothing is downloaded).",
    )
    ocr_max_pages: Annotated[int, Env("GOVQA_OCR_MAX_PAGES")] = Field(
        default=30, gt=0, description="Pages of one file read by OCR; later ones are listed "
        "among the warnings, not read."
    )  # fmt: skip
    ocr_min_confidence: Annotated[float, Env("GOVQA_OCR_MIN_CONFIDENCE")] = Field(
        default=0.6, ge=0, le=1, description="A page OCR reads with less confidence than "
        "this is left out (a warning), not indexed as noise."
    )  # fmt: skip
    ocr_seconds: Annotated[float, Env("GOVQA_OCR_SECONDS")] = Field(
        default=300.0, gt=0, description="OCR time one file may take; pages after it are "
        "listed among the warnings, not read."
    )  # fmt: skip

    @property
    def ocr_limits(self) -> OcrLimits:
        """What OCR may do for one file."""
        from ingest.ocr import OcrLimits

        return OcrLimits(self.ocr, self.ocr_max_pages, self.ocr_min_confidence, self.ocr_seconds)

    @property
    def max_bytes(self) -> int:
        """``max_file_mb`` in bytes."""
        from ingest.loaders import mb_to_bytes

        return mb_to_bytes(self.max_file_mb)


class RetrievalSettings(_Section):
    """How many sources an answer cites, and how the hybrid retriever weighs its rankings."""

    top_k: Annotated[int, Env("GOVQA_TOP_K")] = Field(
        default=5, ge=1, description="Sources cited per answer."
    )
    dense_weight: Annotated[float, Env("GOVQA_DENSE_WEIGHT")] = Field(
        default=0.3,
        ge=0,
        description="Chinese questions: weight of the embedding scores against BM25's (1) "
        "in the hybrid fusion. English questions always lead with the embeddings.",
    )
    lexical_weight: Annotated[float, Env("GOVQA_LEXICAL_WEIGHT")] = Field(
        default=1.0, ge=0, description="Weight of the BM25 ranking in the hybrid fusion."
    )
    as_of: Annotated[date | None, Env("GOVQA_AS_OF")] = Field(
        default=None,
        description="The date 今年/去年/latest in a question are read against (YYYY-MM-DD; "
        "default: today).",
    )

    @field_validator("as_of", mode="before")
    @classmethod
    def _empty_is_today(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class LLMSettings(_Section):
    """LLM mode: an OpenAI-compatible endpoint that writes the answers."""

    mode: Annotated[Literal["none", "openai"], Env("GOVQA_LLM")] = Field(
        default="none",
        description="none: the extractive answerer (offline). openai: any OpenAI-compatible "
        "chat endpoint writes the answer, checked by a verifier.",
    )
    base_url: Annotated[str, Env("GOVQA_LLM_BASE_URL")] = Field(
        default="", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1"
    )
    model: Annotated[str, Env("GOVQA_LLM_MODEL")] = Field(
        default="", description="Model name at that endpoint."
    )
    api_key: Annotated[SecretStr, Env("GOVQA_LLM_API_KEY")] = Field(
        default=SecretStr(""), description="API key for the endpoint (empty for local servers)."
    )
    timeout: Annotated[float, Env("GOVQA_LLM_TIMEOUT")] = Field(
        default=30.0, gt=0, description="Seconds to wait for the LLM before answering without it."
    )


class TelegramSettings(_Section):
    """The Telegram bot (`govqa bot`)."""

    bot_token: Annotated[SecretStr, Env("TELEGRAM_BOT_TOKEN")] = Field(
        default=SecretStr(""),
        description="The bot's token from @BotFather (needed by `govqa bot`).",
    )
    base_url: Annotated[str, Env("GOVQA_TELEGRAM_BASE_URL")] = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL; point it at a local Bot API server if you run one.",
    )
    allowed_chats: Annotated[frozenset[int], Env("GOVQA_TELEGRAM_ALLOWED_CHATS")] = Field(
        default=frozenset(), description="Comma-separated chat ids that may ask; empty = anyone."
    )
    admins: Annotated[frozenset[int], Env("GOVQA_TELEGRAM_ADMINS")] = Field(
        default=frozenset(), description="Comma-separated user ids that may upload reports."
    )
    webhook_url: Annotated[str, Env("GOVQA_TELEGRAM_WEBHOOK_URL")] = Field(
        default="", description="Public HTTPS URL for webhook mode; empty = long polling."
    )
    ingest_timeout: Annotated[float, Env("GOVQA_TELEGRAM_INGEST_TIMEOUT")] = Field(
        default=300.0,
        gt=0,
        description="Seconds an uploaded report may take to ingest (read, embed); after "
        "that the bot gives up on it and stores nothing of it.",
    )
    rate_limit: Annotated[int, Env("GOVQA_TELEGRAM_RATE_LIMIT")] = Field(
        default=20,
        ge=0,
        description="Questions a chat may ask per minute; more get one polite message "
        "instead of answers. 0 = no limit.",
    )

    @field_validator("allowed_chats", "admins", mode="before")
    @classmethod
    def _numeric_ids(cls, value: object) -> object:
        # "123, -100456" from a variable; refused at start-up, not when the bot reads it
        return _ids(value) if isinstance(value, str) else value

    @field_validator("base_url")
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


def _ids(text: str) -> frozenset[int]:
    """ "123, -100456" → {123, -100456}; a value that is not a number is a config error."""
    try:
        return frozenset(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError as e:
        raise ValueError(f"not a comma-separated list of numeric ids: {text!r}") from e


ENV_FILE = ".env"


class Settings(BaseSettings):
    """Every knob govqa has, by concern. Each field is read from the variable its
    :class:`Env` names (see ``.env.example``). Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="forbid", frozen=True
    )

    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], Env("GOVQA_LOG_LEVEL")] = (
        Field(default="WARNING", description="Logging level of the command line.")
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments first, then the environment, then `.env`, each variable read
        by its flat name (no secrets directory is configured)."""
        return (
            init_settings,
            _Variables(settings_cls, env_settings),
            _Variables(settings_cls, dotenv_settings),
        )


class _Variables(PydanticBaseSettingsSource):
    """The flat variables one of pydantic-settings' own sources has read (the environment,
    or `.env`), placed into the sections: GOVQA_DATA_DIR → ``{"store": {"data_dir": ...}}``."""

    def __init__(self, settings_cls: type[BaseSettings], read: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        if not isinstance(read, EnvSettingsSource):
            raise TypeError(f"not an environment source: {read!r}")
        self._read = read

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        # Required by the interface; values are looked up by variable in __call__.
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        read: Mapping[str, str | None] = self._read.env_vars
        for name, path in variables().items():
            value = read.get(name if self._read.case_sensitive else name.lower())
            if value is None:
                continue
            *sections, leaf = path
            target = values
            for section in sections:
                target = target.setdefault(section, {})
            target[leaf] = value
        return values


@cache
def variables() -> Mapping[str, tuple[str, ...]]:
    """Every variable govqa reads, in declaration order, with the field it sets:
    ``{"GOVQA_DATA_DIR": ("store", "data_dir"), "TELEGRAM_BOT_TOKEN": ("telegram",
    "bot_token"), ...}``."""
    return {env.name: path for path, env, _ in _fields(Settings, ())}


def _fields(
    model: type[BaseModel], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Env, FieldInfo]]:
    for name, info in model.model_fields.items():
        envs = [item for item in info.metadata if isinstance(item, Env)]
        if envs:
            yield (*prefix, name), envs[0], info
        elif isinstance(info.annotation, type) and issubclass(info.annotation, _Section):
            yield from _fields(info.annotation, (*prefix, name))
        else:
            raise TypeError(f"{model.__name__}.{name} names no variable and is no section")


@cache
def _secret_paths() -> frozenset[tuple[str, ...]]:
    return frozenset(
        path for path, _, info in _fields(Settings, ()) if info.annotation is SecretStr
    )


class ConfigError(Exception):
    """A setting that does not parse (message is one sentence naming the variable)."""


def load_settings(env_file: str | None = ENV_FILE, **sections: Mapping[str, object]) -> Settings:
    """The settings from the environment and ``env_file`` (None: none); a bad value raises
    ConfigError.

    ``sections`` override single fields and keep the rest: ``store={"data_dir": path}``
    changes the data dir, and GOVQA_CHROMA_URL still applies.
    """
    # Plain dicts: pydantic-settings merges those with what the environment sets.
    arguments: dict[str, Any] = {name: dict(fields) for name, fields in sections.items()}
    try:
        return Settings(_env_file=env_file, **arguments)  # type: ignore[call-arg]
    except ValidationError as e:
        raise ConfigError(describe_errors(e)) from e


def describe_errors(error: ValidationError) -> str:
    """Each bad value as "GOVQA_TOP_K: not a whole number: 'x'", without pydantic's
    tutorial; a secret's value is never repeated."""
    return "; ".join(_describe(detail) for detail in error.errors())


_REASONS = {
    "date_from_datetime_parsing": "not a date (YYYY-MM-DD)",
    "date_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "not a date (YYYY-MM-DD)",
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "bool_parsing": "not true or false",
}


def _describe(detail: Any) -> str:
    loc = tuple(str(part) for part in detail.get("loc", ()))
    name = _variable(loc)
    message = str(detail.get("msg", "not valid"))
    kind = detail.get("type", "")
    if kind == "value_error":  # our own validators' sentences carry the value
        return f"{name}: {message.removeprefix('Value error, ')}"
    reason = _REASONS.get(kind) or message.removeprefix("Input ").removeprefix("String ")
    if any(loc[: len(path)] == path for path in _secret_paths()) or "input" not in detail:
        return f"{name}: {reason}"
    value = detail["input"]
    shown = repr(value if len(str(value)) <= 60 else f"{str(value)[:57]}...")
    if reason.startswith("should"):  # "GOVQA_LLM: should be 'none' or 'openai', not 'foo'"
        return f"{name}: {reason}, not {shown}"
    return f"{name}: {reason}: {shown}"


def _variable(loc: tuple[str, ...]) -> str:
    """The variable a pydantic location stands for; a location of no variable (a keyword
    argument in code) as a dotted path, e.g. ``store.data_dri``."""
    if not loc:
        return "configuration"
    for name, path in variables().items():
        if loc[: len(path)] == path:
            return name
    return ".".join(loc)
