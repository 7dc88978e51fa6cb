"""Where a store's vectors live, and how processes sharing them see each other's writes:
two implementations of one small interface.

**Embedded** (the default): a persistent Chroma in the data dir, beside the catalogue,
which is the system of record. Every write bumps the catalogue's generation before and
after its Chroma step; a process whose in-memory Chroma was loaded at an older
generation reloads it before it reads or writes.

**Shared** (``GOVQA_CHROMA_URL``, several processes or machines on one Chroma server):
Chroma is the system of record. Beside the vectors, a second collection,
``<collection>-reports``, holds one record a report — its catalogue row, chunk texts
and facts as JSON — written *after* the report's vectors, so a record is the commit
mark of a complete report (its removal comes first). Every write also replaces a
random token record. Each process keeps the SQLite catalogue (lexical index, facts)
as a local cache of those records, in its own file per server and collection, and
:meth:`SharedReplica.sync` brings it up to date whenever the token has changed — one
small request per question when nothing changed. So an ingest by any process is
answered the same way by every process, and a crashed writer's half-written report
(vectors without a record) is never read and is replaced when the report is ingested
again.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from ingest.facts import Facts
from retrieval.store.base import StagedReport
from retrieval.store.catalogue import Catalogue
from retrieval.store.facts import facts_from_json
from retrieval.store.vectors import Vectors

logger = logging.getLogger(__name__)

_TOKEN_ID = "~govqa-token"


class Replica(ABC):
    """The vectors of a store's reports, and what keeps every process's view of them
    and of the catalogue current."""

    shared: bool
    vectors: Vectors

    def __init__(self, catalogue: Catalogue, lock: threading.RLock) -> None:
        self._catalogue = catalogue
        self._lock = lock

    def bump(self) -> None:
        """Inside a write transaction of the catalogue, before and after a Chroma step."""
        self._catalogue.bump_generation()

    @abstractmethod
    def refresh(self) -> None:
        """Make :attr:`vectors` current before a read or a write."""

    @abstractmethod
    def close(self) -> None:
        """Release the Chroma client (an embedded one stops once no client of its path
        is left in the process, and frees its files)."""

    @abstractmethod
    def sync(self) -> int:
        """Bring the catalogue up to date with the system of record; returns how many
        reports changed in it."""

    @abstractmethod
    def may_hold(self, doc_ids: Sequence[str]) -> list[str]:
        """Those of ``doc_ids`` that may have vectors to delete before they are written."""

    @abstractmethod
    def holds(self, doc_id: str) -> bool:
        """Whether report ``doc_id`` is stored or half-written: what a removal removes
        (a question about one report, answered without listing the others)."""

    @abstractmethod
    def withdraw(self, doc_ids: Sequence[str]) -> None:
        """Before a write changes these reports' vectors: they are no longer stored."""

    @abstractmethod
    def commit(self, reports: Sequence[StagedReport]) -> None:
        """After these reports' vectors are written: they are stored."""


class EmbeddedReplica(Replica):
    """A persistent Chroma in the data dir; the catalogue is the system of record."""

    shared = False

    def __init__(
        self,
        catalogue: Catalogue,
        lock: threading.RLock,
        chroma: Callable[[], Any],
        name: str,
        encoder_id: str,
    ) -> None:
        """``chroma`` makes the client (called again to reload it)."""
        super().__init__(catalogue, lock)
        self._chroma = chroma
        self._name = name
        self._encoder_id = encoder_id
        # The generation Chroma was loaded at, read before it is opened: a write after
        # that makes it look stale, never the other way round.
        self._view = catalogue.generation()
        self._client = chroma()
        self.vectors = Vectors(self._client, name, encoder_id)
        self.vectors.check_encoder(encoder_id)

    def bump(self) -> None:
        """Under the write lock, so the in-memory Chroma stays current."""
        self._view = self._catalogue.bump_generation()

    def close(self) -> None:
        with self._lock:
            self._client.close()

    def refresh(self) -> None:
        """Reload Chroma when another process has written since we loaded it."""
        generation = self._catalogue.generation()
        if generation == self._view:
            return
        with self._lock:
            logger.info("reloading Chroma: another process wrote to the store")
            self._client.close()
            self._client = self._chroma()
            self.vectors = Vectors(self._client, self._name, self._encoder_id)
            self._view = generation

    def sync(self) -> int:
        return 0

    def may_hold(self, doc_ids: Sequence[str]) -> list[str]:
        # Vectors can only exist for a report with a catalogue row (a write's first step
        # writes it, repair deletes it last), so new reports need no Chroma delete,
        # which scans the collection's metadata.
        return self._catalogue.known(doc_ids)

    def holds(self, doc_id: str) -> bool:
        return self._catalogue.knows(doc_id)

    def withdraw(self, doc_ids: Sequence[str]) -> None:
        pass

    def commit(self, reports: Sequence[StagedReport]) -> None:
        pass


class SharedReplica(Replica):
    """A Chroma server, with a record a stored report beside the vectors; the catalogue
    is this process's cache of the records."""

    shared = True

    def __init__(
        self, catalogue: Catalogue, lock: threading.RLock, client: Any, name: str, encoder_id: str
    ) -> None:
        super().__init__(catalogue, lock)
        self._client = client
        self.vectors = Vectors(client, name, encoder_id)
        self.vectors.check_encoder(encoder_id)
        self._records = client.get_or_create_collection(
            name=f"{name}-reports",
            metadata={"govqa": "one record a stored report"},
            embedding_function=None,
        )
        self._synced_token: str | None = None

    def refresh(self) -> None:
        pass  # a server is always current

    def close(self) -> None:
        with self._lock:
            self._client.close()

    def sync(self) -> int:
        """Returns how many reports were added, replaced or dropped locally (0 when the
        token is unchanged, which costs one request)."""
        catalogue = self._catalogue
        with self._lock:
            token = self._read_token()
            if token is not None and token == self._synced_token:
                return 0
            got = self._records.get(include=["metadatas"])
            remote = {
                i: str((m or {}).get("content_hash"))
                for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                if i != _TOKEN_ID
            }
            local = catalogue.stored_hashes()
            changes = 0
            for doc_id in set(local) - set(remote):
                with catalogue.transaction():
                    catalogue.drop(doc_id)
                changes += 1
            wanted = sorted(d for d, h in remote.items() if local.get(d) != h)
            for start in range(0, len(wanted), 64):
                batch = self._records.get(ids=wanted[start : start + 64], include=["documents"])
                for document in batch["documents"] or []:
                    record = json.loads(document)
                    doc_id = record["row"]["doc_id"]
                    chunks = [
                        (c["id"], doc_id, c["chunk_no"], c["text"], c["index_text"])
                        for c in record["chunks"]
                    ]
                    with catalogue.transaction():
                        catalogue.put(record["row"], chunks, facts_from_json(record["facts"]))
                    changes += 1
            self._synced_token = token
            if changes:
                logger.info("synced %d reports from the Chroma server", changes)
            return changes

    def may_hold(self, doc_ids: Sequence[str]) -> list[str]:
        return list(doc_ids)  # the server may hold other processes' vectors of them

    def holds(self, doc_id: str) -> bool:
        """A record on the server, or a write of this cache's left pending. (A report
        this cache holds without a record was removed by another process.)"""
        if self._catalogue.knows(doc_id, pending=True):
            return True
        return bool(self._records.get(ids=[doc_id], include=[])["ids"])

    def withdraw(self, doc_ids: Sequence[str]) -> None:
        self._publish(removed=doc_ids)

    def commit(self, reports: Sequence[StagedReport]) -> None:
        self._publish(
            records=[
                {
                    "row": report.row,
                    "chunks": [
                        {"id": r[0], "chunk_no": r[2], "text": r[3], "index_text": r[4]}
                        for r in report.chunks
                    ],
                    "facts": asdict(report.facts or Facts((), (), ())),
                }
                for report in reports
            ]
        )

    def _read_token(self) -> str | None:
        got = self._records.get(ids=[_TOKEN_ID], include=["metadatas"])
        metadatas = got["metadatas"] or []
        return str(metadatas[0].get("token")) if metadatas and metadatas[0] else None

    def _publish(self, removed: Sequence[str] = (), records: Sequence[dict[str, Any]] = ()) -> None:
        """Delete some reports' records and/or write others, then a new token."""
        if not (removed or records):
            return
        if removed:
            self._records.delete(ids=list(removed))
        if records:
            self._records.upsert(
                ids=[r["row"]["doc_id"] for r in records],
                embeddings=[[0.0] for _ in records],
                documents=[json.dumps(r, ensure_ascii=False) for r in records],
                metadatas=[{"content_hash": r["row"]["content_hash"]} for r in records],
            )
        token = uuid.uuid4().hex
        self._records.upsert(
            ids=[_TOKEN_ID], embeddings=[[0.0]], documents=[""], metadatas=[{"token": token}]
        )
