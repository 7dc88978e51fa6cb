"""The composition root: heavy things (model, Chroma, jieba) are built once, here."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from govqa.settings import Settings, StoreSettings
from retrieval.lexical import Tokenizer
from retrieval.store import Store, StoreError, lists_reports

if TYPE_CHECKING:  # heavy: loaded on first use, not at start-up
    from chromadb.api import ClientAPI
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from retrieval.answer import ExtractiveAnswerer
    from retrieval.conversation import Conversation
    from retrieval.embeddings import LoadedEmbeddings
    from retrieval.llm import LLMAnswerer
    from retrieval.question import QuestionAnalyzer
    from retrieval.types import Answer

logger = logging.getLogger(__name__)


class ServiceError(Exception):
    """A start-up problem a user can act on (message is one sentence)."""


def make_chroma_client(store: StoreSettings) -> ClientAPI:
    """Embedded persistent Chroma in the data dir, or an HTTP client for a server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if not store.chroma_url:
        path = store.resolved_data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    from urllib.parse import urlparse

    url = urlparse(store.chroma_url)
    if not url.hostname:
        raise ServiceError(f"GOVQA_CHROMA_URL is not a URL: {store.chroma_url!r}")
    try:
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    except Exception as e:
        raise ServiceError(f"cannot reach the Chroma server at {store.chroma_url}: {e}") from e


def catalogue_path(store: StoreSettings) -> Path:
    """The SQLite catalogue: the index itself with an embedded Chroma; with a Chroma
    server, a local cache of it, one file per server and collection."""
    data_dir = store.resolved_data_dir
    if not store.chroma_url:
        return data_dir / "govqa.sqlite3"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{store.chroma_url}-{store.collection}")
    return data_dir / f"cache-{slug.strip('-')}.sqlite3"


@dataclass
class Services:
    """Everything the CLI and the bot use; parts load on first use, once."""

    settings: Settings
    progress: Callable[[str], None] | None = None
    tokenizer: Tokenizer = field(default_factory=Tokenizer)
    loaded_embeddings: LoadedEmbeddings | None = None
    _embeddings_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _prefetching: bool = field(default=False, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, repr=False)

    @property
    def embeddings(self) -> LoadedEmbeddings:
        with self._embeddings_lock:
            if self.loaded_embeddings is None:
                from govqa.backends import embedding_config
                from retrieval.embeddings import make_embeddings

                self.loaded_embeddings = make_embeddings(
                    embedding_config(self.settings.embedding), progress=self.progress
                )
            return self.loaded_embeddings

    def prefetch(self) -> None:
        """Start loading the embedding model in the background.

        A cold ``govqa ask`` spends most of its time starting things: the model (in
        native code, mostly), Chroma and jieba (in Python). On two cores they overlap;
        whatever needs the model waits for it. A load error surfaces there, on first
        use, as it would without prefetching. Calling it again does nothing.
        """
        if self._prefetching or self.loaded_embeddings is not None:
            return
        self._prefetching = True

        def load() -> None:
            try:
                self.embeddings  # noqa: B018
            except Exception:  # noqa: BLE001 - raised again on first use
                logger.debug("prefetching the embedding model failed", exc_info=True)

        # Not a daemon: the interpreter waits for it at exit. A daemon thread killed
        # inside onnxruntime's session set-up aborts the process (SIGABRT).
        self._start(load, "govqa-prefetch")

    def warm_up_store(self) -> None:
        """Load Chroma's segments in the background (see :meth:`Store.warm_up`)."""
        store = self.store

        def warm() -> None:
            try:
                store.warm_up()
            except Exception:  # noqa: BLE001 - the first real read reports it
                logger.debug("warming up Chroma failed", exc_info=True)

        self._start(warm, "govqa-warm-up")

    def _start(self, work: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=work, name=name)
        self._threads.append(thread)
        thread.start()

    def close(self) -> None:
        """Wait for the background loads, then release the store (its catalogue and Chroma
        client) if it was opened, with what was built on it; used again, they open again.

        A process that ends needs none of this; one that builds Services again and again
        (the tests) does. The embedding model stays loaded: it may be shared (see
        :func:`build_services`)."""
        for thread in self._threads:
            thread.join()
        self._threads.clear()
        for name in ("chain", "analyzer"):  # cached_property values built on the store
            self.__dict__.pop(name, None)
        store = self.__dict__.pop("store", None)
        if store is not None:
            store.close()

    def prefetch_if_indexed(self) -> None:
        """:meth:`prefetch` at once if the local catalogue already lists reports, so the
        model loads while Chroma starts (the store's own check comes later)."""
        if lists_reports(catalogue_path(self.settings.store)):
            self.prefetch()

    def ready(self, *, wait: bool = False) -> int:
        """Get ready to answer questions; the number of reports ingested.

        ``wait=False`` (``govqa ask``): start loading the embedding model and Chroma's
        segments in the background, the model first if the catalogue already lists
        reports; nothing starts when there are none (the caller refuses to ask then).
        ``wait=True`` (the bot's start-up): load the store, the model, the chain and the
        question analyzer now, so the first question is answered as fast as the others.
        """
        if not wait:
            self.prefetch_if_indexed()
        documents = int(self.store.stats()["documents"])
        if wait:
            self.embeddings.encode_query("预热")
            self.chain  # noqa: B018 - builds the retriever, answerers and question analyzer
            self.analyzer.analyze("宛城区2024年GDP是多少？")
        elif documents:
            self.prefetch()
            self.warm_up_store()
        return documents

    @cached_property
    def store(self) -> Store:
        try:
            where = self.settings.store
            return Store(
                catalogue_path(where),
                lambda: make_chroma_client(where),
                where.collection,
                encoder_id=self.settings.embedding.encoder_id,
                tokenizer=self.tokenizer,
                shared=bool(where.chroma_url),
                on_wait=self.progress or logger.warning,
            )
        except StoreError as e:
            raise ServiceError(str(e)) from e

    @cached_property
    def analyzer(self) -> QuestionAnalyzer:
        from retrieval.english import Lexicon, PinyinIndex
        from retrieval.question import QuestionAnalyzer

        store = self.store
        return QuestionAnalyzer(
            self.tokenizer,
            PinyinIndex(
                lambda: [*store.vocabulary(), *(o["name"] for o in store.officials())],
                version=store.version,
                cache=(store.pinyin_readings, store.save_pinyin_readings),
            ),
            Lexicon(
                self.settings.embedding.resolved_model_dir.parent / "cedict-en-zh.marshal",
                lambda words: store.document_frequencies(words)[1],
            ),
            now=self._now,
        )

    def _now(self) -> date:
        """What 今年/去年 are read against: the as-of date, or the newest report on or
        before it when the reports stop earlier."""
        from retrieval.relative_time import effective_now

        as_of = self.settings.retrieval.as_of or date.today()
        return effective_now(as_of, self.store.newest_date(as_of.isoformat()))

    @cached_property
    def chain(self) -> Runnable[str, Answer]:
        from retrieval.answer import ExtractiveAnswerer
        from retrieval.chain import build_chain
        from retrieval.citing import ocr_caution
        from retrieval.facts_answer import FactAnswerer
        from retrieval.republished import annotate
        from retrieval.retriever import HybridRetriever

        tuning = self.settings.retrieval
        retriever = HybridRetriever(
            store=self.store,
            embeddings=self.embeddings,
            analyzer=self.analyzer,
            k=max(12, tuning.top_k),
            dense_weight=tuning.dense_weight,
            lexical_weight=tuning.lexical_weight,
        )
        answerer = make_answerer(
            self.settings,
            ExtractiveAnswerer(
                self.store,
                max_sources=tuning.top_k,
                toponyms=self.tokenizer.places_in,
                name_part=self.tokenizer.name_part,
            ),
            self,
        )
        return build_chain(
            self.analyzer,
            retriever,
            answerer,
            FactAnswerer(self.store, is_name=self.tokenizer.is_name),
            refresh=self.store.sync,
            finish=lambda answer: ocr_caution(annotate(self.store, answer)),
        )

    @cached_property
    def chat_model(self) -> BaseChatModel:
        """The LLM of LLM mode (GOVQA_LLM=openai)."""
        from govqa.backends import LLMConfigError, make_chat_model

        try:
            return make_chat_model(self.settings.llm)
        except LLMConfigError as e:
            raise ServiceError(str(e)) from e

    def new_conversation(self) -> Conversation:
        """A follow-up history for one chat (CLI session or Telegram chat)."""
        from retrieval.conversation import Conversation

        store = self.store
        condense = None
        if self.settings.llm.mode == "openai":
            from retrieval.llm import condense_question

            chat_model = self.chat_model

            def condense(history: list[tuple[str, str]], question: str) -> str:
                return condense_question(chat_model, history, question)

        return Conversation(
            self.analyzer,
            names=lambda: [o["name"] for o in store.officials() if not o["unknown"]],
            condense=condense,
        )


def make_answerer(
    settings: Settings, extractive: ExtractiveAnswerer, services: Services
) -> ExtractiveAnswerer | LLMAnswerer:
    """The extractive answerer, or in LLM mode an LLM answerer that falls back to it."""
    match settings.llm.mode:
        case "none":
            return extractive
        case "openai":
            from retrieval.llm import LLMAnswerer

            return LLMAnswerer(
                services.chat_model,
                extractive,
                services.store,
                max_sources=settings.retrieval.top_k,
            )


def build_services(
    settings: Settings,
    progress: Callable[[str], None] | None = None,
    embeddings: LoadedEmbeddings | None = None,
) -> Services:
    """Services for these settings; pass ``embeddings`` to reuse an already loaded model."""
    return Services(settings=settings, progress=progress, loaded_embeddings=embeddings)
