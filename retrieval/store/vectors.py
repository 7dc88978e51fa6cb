"""The chunks' vectors in a Chroma collection: ids and metadata only (the text is in the
catalogue, and Chroma's own full-text index of documents would cost more than the
vectors, ~5 ms a chunk)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from retrieval.store.base import StoreError

# Chroma records read a request when listing a whole collection.
PAGE = 5000


class Vectors:
    """One Chroma collection of chunk vectors, cosine space, tagged with its encoder."""

    def __init__(self, client: Any, name: str, encoder_id: str) -> None:
        self._client = client
        self.collection: Any = client.get_or_create_collection(
            name=name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"encoder": encoder_id},
            embedding_function=None,
        )

    def check_encoder(self, encoder_id: str) -> None:
        """Refuse a collection filled by another encoder, saying how to use it."""
        stored = (self.collection.metadata or {}).get("encoder")
        if stored and stored != encoder_id:
            backend = "onnx" if stored.endswith("+onnx-int8") else "torch"
            raise StoreError(
                f"collection {self.collection.name!r} holds vectors from {stored!r}, "
                f"not {encoder_id!r}: set GOVQA_EMBEDDING_BACKEND={backend} to use it as it "
                "is, or use another GOVQA_COLLECTION or data dir and re-ingest"
            )

    # -- reading ----------------------------------------------------------------------

    def count(self) -> int:
        return int(self.collection.count())

    def warm_up(self) -> None:
        """Have Chroma load the collection's segments now (the first read takes ~0.6 s,
        and releases the GIL, so a thread can do it while the caller imports things)."""
        self.collection.get(limit=1, include=[])

    def search(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Chunk ids and cosine similarities, best first (none from an empty collection)."""
        result = self.collection.query(
            query_embeddings=[[float(x) for x in vector]], n_results=k, include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def owners(self) -> dict[str, str]:
        """vector id → the doc id in its metadata, for every vector in the collection."""
        owners: dict[str, str] = {}
        for offset in range(0, self.collection.count(), PAGE):
            # In pages: one get() of 100k records fails ("too many SQL variables").
            got = self.collection.get(include=["metadatas"], limit=PAGE, offset=offset)
            for vector_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                owners[vector_id] = str((meta or {}).get("doc_id"))
        return owners

    def unreadable(self, ids: Sequence[str], page: int = 500) -> list[str]:
        """Those of ``ids`` whose vector cannot be read back: absent, or listed but not
        in the vector index ("Error finding id", what two writers' stale indexes left)."""
        bad: list[str] = []

        def probe(part: Sequence[str]) -> None:
            if not part:
                return
            try:
                got = self.collection.get(ids=list(part), include=["embeddings"])
            except Exception:  # noqa: BLE001 - Chroma raises InternalError; narrow it down
                if len(part) == 1:
                    bad.append(part[0])
                    return
                half = len(part) // 2
                probe(part[:half])
                probe(part[half:])
                return
            embeddings = got.get("embeddings")
            found = {
                i
                for n, i in enumerate(got["ids"])
                if embeddings is not None and len(embeddings[n]) > 0
            }
            bad.extend(i for i in part if i not in found)

        for start in range(0, len(ids), page):
            probe(ids[start : start + page])
        return bad

    # -- writing ----------------------------------------------------------------------

    def add(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, Any]],
        *,
        upsert: bool = False,
    ) -> None:
        """Write vectors; with ``upsert``, replacing those of the same ids."""
        write = self.collection.upsert if upsert else self.collection.add
        self._write(write, ids, embeddings, metadatas)

    def delete_reports(self, doc_ids: Sequence[str]) -> None:
        """Every vector of these reports (a scan of the collection's metadata)."""
        if len(doc_ids) == 1:
            self.collection.delete(where={"doc_id": doc_ids[0]})
        elif doc_ids:
            self.collection.delete(where={"doc_id": {"$in": list(doc_ids)}})

    def delete(self, ids: Sequence[str]) -> None:
        """Vectors by id, those the vector index lost included."""
        for start in range(0, len(ids), PAGE):
            page = list(ids[start : start + PAGE])
            try:
                self.collection.delete(ids=page)
            except Exception:  # noqa: BLE001 - ids the vector index lost cannot be deleted
                # Give them a vector first (upsert works on a lost id), then delete.
                placeholder = self._any_vector()
                self.collection.upsert(ids=page, embeddings=[placeholder] * len(page))
                self.collection.delete(ids=page)

    def _any_vector(self) -> list[float]:
        """A vector of the collection's dimension (zeros are not allowed for cosine)."""
        for offset in range(0, self.collection.count(), 100):
            try:
                got = self.collection.get(limit=100, offset=offset, include=["embeddings"])
            except Exception:  # noqa: BLE001 - a page with a lost vector: try the next
                continue
            embeddings = got.get("embeddings")
            if embeddings is not None and len(embeddings):
                return [float(x) for x in embeddings[0]]
        raise StoreError("no readable vector left to learn the dimension from: re-ingest")

    def _write(
        self,
        write: Callable[..., None],
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        """Chroma refuses one write larger than its maximum batch (5,461 records here):
        a report of 2 M characters makes ~7,000 chunks. Written in slices of it."""
        size = self._max_batch()
        for start in range(0, len(ids), size):
            write(
                ids=list(ids[start : start + size]),
                embeddings=list(embeddings[start : start + size]),
                metadatas=list(metadatas[start : start + size]),
            )

    def _max_batch(self) -> int:
        try:
            return max(1, int(self._client.get_max_batch_size()))
        except Exception:  # noqa: BLE001 - an older server without the call
            return 1000
