"""The settings sections read the flat variable names users know, from the environment
and from `.env`; a bad value is reported under its variable; the defaults stay.

The expected mapping below is written out by hand, not read from govqa.settings, so a
variable wired to the wrong field fails here.
"""

from __future__ import annotations

import pickle
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from govqa.commands.bot import bot_config
from govqa.settings import ConfigError, Settings, load_settings, variables
from tests.helpers import ROOT

# variable → (field, a value as a user writes it, what the field holds then)
EXPECTED: dict[str, tuple[str, str, object]] = {
    "GOVQA_DATA_DIR": ("store.data_dir", "/srv/govqa-data", Path("/srv/govqa-data")),
    "GOVQA_CHROMA_URL": ("store.chroma_url", "http://10.0.0.5:8000", "http://10.0.0.5:8000"),
    "GOVQA_COLLECTION": ("store.collection", "reports2026", "reports2026"),
    "GOVQA_MODEL_DIR": ("embedding.model_dir", "/srv/models", Path("/srv/models")),
    "GOVQA_EMBEDDING_MODEL": ("embedding.model", "/models/bge-m3", "/models/bge-m3"),
    "GOVQA_EMBEDDING_BACKEND": ("embedding.backend", "torch", "torch"),
    "GOVQA_EMBEDDING_BATCH_SIZE": ("embedding.batch_size", "16", 16),
    "GOVQA_MAX_FILE_MB": ("ingest.max_file_mb", "2.5", 2.5),
    "GOVQA_MAX_CHARS": ("ingest.max_chars", "1000", 1000),
    "GOVQA_OCR": ("ingest.ocr", "false", False),
    "GOVQA_OCR_MAX_PAGES": ("ingest.ocr_max_pages", "5", 5),
    "GOVQA_OCR_MIN_CONFIDENCE": ("ingest.ocr_min_confidence", "0.8", 0.8),
    "GOVQA_OCR_SECONDS": ("ingest.ocr_seconds", "60", 60.0),
    "GOVQA_TOP_K": ("retrieval.top_k", "3", 3),
    "GOVQA_DENSE_WEIGHT": ("retrieval.dense_weight", "0.7", 0.7),
    "GOVQA_LEXICAL_WEIGHT": ("retrieval.lexical_weight", "0.5", 0.5),
    "GOVQA_AS_OF": ("retrieval.as_of", "2025-12-01", date(2025, 12, 1)),
    "GOVQA_LLM": ("llm.mode", "openai", "openai"),
    "GOVQA_LLM_BASE_URL": (
        "llm.base_url",
        "http://127.0.0.1:11434/v1",
        "http://127.0.0.1:11434/v1",
    ),
    "GOVQA_LLM_MODEL": ("llm.model", "qwen2.5:7b", "qwen2.5:7b"),
    "GOVQA_LLM_API_KEY": ("llm.api_key", "sk-invented-0001", SecretStr("sk-invented-0001")),
    "GOVQA_LLM_TIMEOUT": ("llm.timeout", "12.5", 12.5),
    "TELEGRAM_BOT_TOKEN": ("telegram.bot_token", "123:invented", SecretStr("123:invented")),
    "GOVQA_TELEGRAM_BASE_URL": (
        "telegram.base_url",
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot",
    ),
    "GOVQA_TELEGRAM_ALLOWED_CHATS": (
        "telegram.allowed_chats",
        "-1001, 42",
        frozenset({-1001, 42}),
    ),
    "GOVQA_TELEGRAM_ADMINS": ("telegram.admins", "7", frozenset({7})),
    "GOVQA_TELEGRAM_WEBHOOK_URL": (
        "telegram.webhook_url",
        "https://bot.example.org/hook",
        "https://bot.example.org/hook",
    ),
    "GOVQA_TELEGRAM_INGEST_TIMEOUT": ("telegram.ingest_timeout", "60", 60.0),
    "GOVQA_TELEGRAM_RATE_LIMIT": ("telegram.rate_limit", "0", 0),
    "GOVQA_LOG_LEVEL": ("log_level", "DEBUG", "DEBUG"),
}

# The defaults as they were before the settings had sections.
DEFAULTS: dict[str, object] = {
    "store.data_dir": Path("./data"),
    "store.chroma_url": "",
    "store.collection": "govqa",
    "embedding.model_dir": Path("~/.cache/govqa/models"),
    "embedding.model": "bundled:multilingual-e5-small",
    "embedding.backend": "auto",
    "embedding.batch_size": 8,
    "ingest.max_file_mb": 20.0,
    "ingest.max_chars": 2_000_000,
    "ingest.ocr": True,
    "ingest.ocr_max_pages": 30,
    "ingest.ocr_min_confidence": 0.6,
    "ingest.ocr_seconds": 300.0,
    "retrieval.top_k": 5,
    "retrieval.dense_weight": 0.3,
    "retrieval.lexical_weight": 1.0,
    "retrieval.as_of": None,
    "llm.mode": "none",
    "llm.base_url": "",
    "llm.model": "",
    "llm.api_key": SecretStr(""),
    "llm.timeout": 30.0,
    "telegram.bot_token": SecretStr(""),
    "telegram.base_url": "https://api.telegram.org/bot",
    "telegram.allowed_chats": frozenset(),
    "telegram.admins": frozenset(),
    "telegram.webhook_url": "",
    "telegram.ingest_timeout": 300.0,
    "telegram.rate_limit": 20,
    "log_level": "WARNING",
}

NAME = re.compile(r"\b(?:GOVQA|TELEGRAM)_[A-Z_]+[A-Z]\b")


@pytest.fixture(autouse=True)
def no_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever the machine running the tests has set does not count here."""
    for name in EXPECTED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # and no .env of the repository


def field(settings: Settings, path: str) -> Any:
    value: Any = settings
    for part in path.split("."):
        value = getattr(value, part)
    return value


def every_field(settings: Settings) -> dict[str, object]:
    return {path: field(settings, path) for path in DEFAULTS}


def dotenv(folder: Path, lines: dict[str, str]) -> str:
    path = folder / "settings.env"
    path.write_text("".join(f"{k}={v}\n" for k, v in lines.items()), encoding="utf-8")
    return str(path)


def test_the_documented_variables_are_the_ones_read() -> None:
    example = ROOT.joinpath(".env.example").read_text(encoding="utf-8")
    in_example = re.findall(r"^((?:GOVQA|TELEGRAM)_[A-Z_]+)=", example, flags=re.MULTILINE)
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration") :]
    table = section[section.index("| variable |") :].split("\n\n")[0]
    in_readme = {name for row in table.splitlines() for name in NAME.findall(row.split("|")[1])}
    assert len(in_example) == len(set(in_example))
    assert set(in_example) == set(EXPECTED)
    assert in_readme == set(EXPECTED)
    assert set(variables()) == set(EXPECTED)
    assert set(DEFAULTS) == {path for path, _, _ in EXPECTED.values()}


def test_the_defaults_are_unchanged() -> None:
    settings = load_settings(env_file=None)
    assert every_field(settings) == DEFAULTS
    assert settings.embedding.resolved_backend == "onnx"
    assert settings.embedding.encoder_id == "bundled:multilingual-e5-small+onnx-int8"
    assert settings.ingest.max_bytes == 20 * 1024 * 1024


def test_the_values_of_env_example_are_the_defaults() -> None:
    """.env.example shows every variable at its default."""
    settings = load_settings(env_file=str(ROOT / ".env.example"))
    assert every_field(settings) == DEFAULTS


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_variable_sets_its_field_and_no_other(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path, value, expected = EXPECTED[name]
    wanted = {**DEFAULTS, path: expected}
    assert every_field(load_settings(env_file=dotenv(tmp_path, {name: value}))) == wanted
    monkeypatch.setenv(name, value)
    assert every_field(load_settings(env_file=None)) == wanted


def test_all_variables_at_once_from_env_and_from_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wanted = {path: expected for path, _, expected in EXPECTED.values()}
    values = {name: value for name, (_, value, _) in EXPECTED.items()}
    assert every_field(load_settings(env_file=dotenv(tmp_path, values))) == wanted
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    assert every_field(load_settings(env_file=None)) == wanted


def test_the_environment_beats_dotenv_and_arguments_beat_both(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_file = dotenv(
        tmp_path, {"GOVQA_TOP_K": "7", "GOVQA_COLLECTION": "fromfile", "GOVQA_LLM_MODEL": "m1"}
    )
    monkeypatch.setenv("GOVQA_TOP_K", "9")
    monkeypatch.setenv("GOVQA_CHROMA_URL", "http://10.0.0.5:8000")
    settings = load_settings(env_file=env_file, store={"data_dir": "/elsewhere"})
    assert settings.retrieval.top_k == 9
    assert settings.llm.model == "m1"
    # An argument replaces one field of its section; the section's other fields still
    # come from the environment and the file.
    assert settings.store.data_dir == Path("/elsewhere")
    assert settings.store.chroma_url == "http://10.0.0.5:8000"
    assert settings.store.collection == "fromfile"
    assert load_settings(env_file=env_file, retrieval={"top_k": 2}).retrieval.top_k == 2


def test_names_keep_their_old_spelling_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Case does not matter (as with pydantic-settings' own source), and the nested names
    pydantic-settings would make up are not read."""
    monkeypatch.setenv("govqa_top_k", "4")
    monkeypatch.setenv("GOVQA_STORE__DATA_DIR", "/nested")
    monkeypatch.setenv("GOVQA_STORE", '{"data_dir": "/json"}')
    monkeypatch.setenv("GOVQA_TELEGRAM_BOT_TOKEN", "1:not-the-variable")
    settings = load_settings(env_file=None)
    assert settings.retrieval.top_k == 4
    assert settings.store.data_dir == Path("./data")
    assert settings.telegram.bot_token.get_secret_value() == ""


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GOVQA_TOP_K", "x", "not a whole number: 'x'"),
        ("GOVQA_TOP_K", "0", "should be greater than or equal to 1, not '0'"),
        ("GOVQA_EMBEDDING_BATCH_SIZE", "0", "should be greater than or equal to 1, not '0'"),
        ("GOVQA_EMBEDDING_BACKEND", "gpu", "should be 'auto', 'torch' or 'onnx', not 'gpu'"),
        ("GOVQA_COLLECTION", "ab", "should have at least 3 characters, not 'ab'"),
        ("GOVQA_MAX_FILE_MB", "0", "should be greater than 0, not '0'"),
        ("GOVQA_MAX_CHARS", "lots", "not a whole number: 'lots'"),
        ("GOVQA_DENSE_WEIGHT", "-1", "should be greater than or equal to 0, not '-1'"),
        ("GOVQA_LEXICAL_WEIGHT", "heavy", "not a number: 'heavy'"),
        ("GOVQA_LLM", "foo", "should be 'none' or 'openai', not 'foo'"),
        ("GOVQA_LLM_TIMEOUT", "-1", "should be greater than 0, not '-1'"),
        (
            "GOVQA_TELEGRAM_BASE_URL",
            "api.telegram.org/bot",
            "not an http:// or https:// URL: 'api.telegram.org/bot'",
        ),
        (
            "GOVQA_TELEGRAM_BASE_URL",
            "http://x:99999",
            "not a URL (Port out of range 0-65535): 'http://x:99999'",
        ),
        (
            "GOVQA_TELEGRAM_ALLOWED_CHATS",
            "-1001, x",
            "not a comma-separated list of numeric ids: '-1001, x'",
        ),
        ("GOVQA_TELEGRAM_ADMINS", "abc", "not a comma-separated list of numeric ids: 'abc'"),
        ("GOVQA_TELEGRAM_INGEST_TIMEOUT", "soon", "not a number: 'soon'"),
        ("GOVQA_TELEGRAM_RATE_LIMIT", "-1", "should be greater than or equal to 0, not '-1'"),
        ("GOVQA_LOG_LEVEL", "x", "should be 'DEBUG', 'INFO', 'WARNING' or 'ERROR', not 'x'"),
    ],
)
def test_a_bad_value_is_named_by_its_variable(
    name: str, value: str, message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as from_file:
        load_settings(env_file=dotenv(tmp_path, {name: value}))
    assert str(from_file.value) == f"{name}: {message}"
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as from_env:
        load_settings(env_file=None)
    assert str(from_env.value) == f"{name}: {message}"


def test_every_bad_value_is_named_and_a_secret_is_not_repeated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOVQA_TOP_K", "many")
    monkeypatch.setenv("GOVQA_LLM", "gpt")
    with pytest.raises(ConfigError) as error:
        load_settings(env_file=None, llm={"api_key": 987654321})
    assert str(error.value) == (
        "GOVQA_TOP_K: not a whole number: 'many'; "
        "GOVQA_LLM: should be 'none' or 'openai', not 'gpt'; "
        "GOVQA_LLM_API_KEY: should be a valid string"
    )


def test_a_misspelt_or_flat_keyword_is_refused_not_ignored() -> None:
    with pytest.raises(ConfigError, match=r"^store\.data_dri: Extra inputs are not permitted"):
        load_settings(env_file=None, store={"data_dri": "/x"})
    with pytest.raises(ValidationError, match="data_dir"):
        Settings(_env_file=None, data_dir="/x")  # type: ignore[call-arg]


def test_sections_are_read_only() -> None:
    settings = load_settings(env_file=None)
    with pytest.raises(ValidationError):
        settings.store.data_dir = Path("/x")  # type: ignore[misc]
    with pytest.raises(ValidationError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


def test_the_bot_gets_plain_values_and_its_worker_no_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:invented-token")
    monkeypatch.setenv("GOVQA_LLM_API_KEY", "sk-invented-0001")
    monkeypatch.setenv("GOVQA_TELEGRAM_ADMINS", "7, 8")
    monkeypatch.setenv("GOVQA_EMBEDDING_BATCH_SIZE", "16")
    config = bot_config(load_settings(env_file=None, store={"data_dir": "/srv/d"}))
    assert config.token == "123:invented-token"
    assert config.admins == frozenset({7, 8})
    assert config.uploads_dir == Path("/srv/d/uploads")
    sent = pickle.dumps(config.worker)  # what the upload worker receives
    assert b"invented" not in sent
    worker = pickle.loads(sent)  # noqa: S301 - made just above
    (embedding,) = worker.embeddings.args
    assert embedding.batch_size == 16
    assert embedding.encoder_id == "bundled:multilingual-e5-small+onnx-int8"
