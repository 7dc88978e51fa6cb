"""Ingest one uploaded file in a worker process, with a time budget and a cancel.

A thread cannot be stopped: an upload that makes loading, cleaning, fact extraction or
embedding slow (a text bomb, a huge table) would hold the bot's ingest lock, and its
shutdown, for as long as it takes. So the work runs in a child process
(``python -m bot.ingest_worker``), which the bot kills when the budget is spent or the
bot is asked to stop.

The child runs the real :class:`~ingest.pipeline.Ingestor` with its own copy of the
embedding model, but never writes to the store: its reads (content hashes) are forwarded
to the bot's store, and the reports it would store — whole, with their chunks, vectors
and facts — are sent back. Only the bot writes them, with the store's own
report-at-a-time ``replace_reports``, after the child is done. Killing the child at any
moment therefore leaves nothing of the upload behind, and the embedded Chroma gets no
second writer. The child gets no secret (neither the bot token nor the LLM key).

Frames on the child's stdin/stdout: an 8-byte big-endian length, then a pickle. The
parent sends the job, then answers ``("call", method, args, kwargs)`` with
``("ok", value)`` or ``("error", message)``; the child sends ``("tick",)`` per document
(and ``("page", n)`` before OCR reads page n),
then ``("done", summary, batches)`` or ``("failed", reason)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from bot.config import WorkerSetup
from ingest.types import IngestSummary

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">Q")
# Environment variables the child must not see.
_SECRET_VARIABLES = ("TELEGRAM_BOT_TOKEN", "GOVQA_LLM_API_KEY")
# Store methods the child may not have the bot run for it: it writes nothing.
_WRITES = frozenset({"replace_report", "replace_reports", "remove_report", "repair", "writing"})
# Seconds a child is given to exit after SIGTERM before it is killed.
_GRACE = 1.0

Item = tuple[Any, Sequence[Any], Sequence[Sequence[float]], Any]  # Ingestor's store items


@dataclass
class Job:
    """What the child ingests and how: ``path`` below ``root`` (the doc id is the path
    relative to root), with what the composition root set up for the child (no secret)."""

    path: Path
    root: Path
    max_bytes: int
    setup: WorkerSetup


@dataclass
class Outcome:
    """How a worker ended: ``done`` with what to store, or why nothing is stored."""

    kind: Literal["done", "timeout", "stopped", "failed"]
    summary: IngestSummary | None = None
    batches: list[list[Item]] = field(default_factory=list)
    reason: str = ""


async def run_worker(
    job: Job,
    store: Any,
    *,
    timeout: float,
    stopping: asyncio.Event,
    tick: Callable[[], None],
    page: Callable[[int], None] = lambda number: None,
) -> Outcome:
    """Run ``job`` in a child process and return what it would store; ``timeout`` seconds
    at most, and no longer than until ``stopping`` is set. Writes nothing."""
    if stopping.is_set():
        return Outcome("stopped")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.ingest_worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k not in _SECRET_VARIABLES},
        start_new_session=True,  # a Ctrl-C in the terminal is the bot's to handle, not its
    )
    assert process.stdin is not None and process.stdout is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    stop = asyncio.ensure_future(stopping.wait())
    try:
        await _send(process.stdin, job)
        while True:
            read = asyncio.ensure_future(_receive(process.stdout))
            done, _ = await asyncio.wait(
                {read, stop},
                timeout=max(0.0, deadline - loop.time()),
                return_when=asyncio.FIRST_COMPLETED,
            )
            if read not in done:
                read.cancel()
                return Outcome("stopped" if stop in done else "timeout")
            try:
                message = read.result()
            except (asyncio.IncompleteReadError, pickle.UnpicklingError) as e:
                code = await process.wait()
                return Outcome("failed", reason=f"the worker ended (exit code {code}): {e!r:.80}")
            match message:
                case ("tick",):
                    tick()
                case ("page", int(number)):  # a page read by OCR
                    page(number)
                case ("call", str(method), tuple(args), dict(kwargs)):
                    await _send(process.stdin, await _call(store, method, args, kwargs))
                case ("done", IngestSummary() as summary, list(batches)):
                    return Outcome("done", summary, batches)
                case ("failed", str(reason)):
                    return Outcome("failed", reason=reason)
                case _:
                    return Outcome("failed", reason=f"unexpected message {message!r:.80}")
    except (BrokenPipeError, ConnectionResetError) as e:
        return Outcome("failed", reason=f"the worker ended: {e!r}")
    finally:
        stop.cancel()
        await _end(process)


async def _call(
    store: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[str, Any]:
    """A store read the child asked for (a content hash, the sources), in a thread."""
    if method.startswith("_") or method in _WRITES:
        return ("error", f"the worker may not call {method}")
    try:
        return ("ok", await asyncio.to_thread(getattr(store, method), *args, **kwargs))
    except Exception as e:  # noqa: BLE001 - raised again in the child, which fails the file
        logger.warning("upload worker: store.%s failed", method, exc_info=True)
        return ("error", f"{type(e).__name__}: {e}")


async def _end(process: asyncio.subprocess.Process) -> None:
    """Make sure the child is gone: SIGTERM, then SIGKILL after a moment."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), _GRACE)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    if process.stdin is not None:
        process.stdin.close()


async def _send(stream: asyncio.StreamWriter, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    await stream.drain()


async def _receive(stream: asyncio.StreamReader) -> Any:
    (size,) = _HEADER.unpack(await stream.readexactly(_HEADER.size))
    return pickle.loads(await stream.readexactly(size))  # noqa: S301 - our own child


# -- the child -------------------------------------------------------------------------------


class _Channel:
    """The child's end of the frames."""

    def __init__(self, incoming: IO[bytes], outgoing: IO[bytes]) -> None:
        self._in = incoming
        self._out = outgoing

    def send(self, message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self._out.write(_HEADER.pack(len(data)) + data)
        self._out.flush()

    def receive(self) -> Any:
        header = self._in.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise EOFError("the bot closed the channel")
        (size,) = _HEADER.unpack(header)
        return pickle.loads(self._in.read(size))  # noqa: S301 - our own parent


class _ForwardingStore:
    """The store as the child's Ingestor sees it: reads go to the bot's store; writes are
    kept, batch by batch, to be sent back whole."""

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel
        self.batches: list[list[Item]] = []

    def replace_reports(self, items: Sequence[Item]) -> None:
        self.batches.append(list(items))

    @contextlib.contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[None]:
        """The store's write lock: the bot takes it when it stores what the child made;
        the child itself writes nothing, so it holds nothing."""
        yield

    def repair(self) -> list[str]:
        """Clearing other runs' half-written reports is a write: left to `govqa ingest`
        and `govqa check --repair`. A new upload replaces its own doc id whole anyway."""
        return []

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method.startswith("_"):
            raise AttributeError(method)

        def call(*args: Any, **kwargs: Any) -> Any:
            self._channel.send(("call", method, args, kwargs))
            status, value = self._channel.receive()
            if status != "ok":
                raise RuntimeError(f"store.{method}: {value}")
            return value

        return call


def main() -> None:
    """The child: read the job, ingest, send back what to store."""
    # The frames own the real stdout; anything a library prints goes to stderr instead.
    outgoing = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    channel = _Channel(sys.stdin.buffer, outgoing)
    job: Job = channel.receive()
    setup = job.setup
    logging.basicConfig(
        level=setup.log_level, format="%(levelname)s %(name)s (upload worker): %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        from ingest.pipeline import Ingestor, InputFile

        store = _ForwardingStore(channel)
        ingestor = Ingestor(
            store,  # reads are forwarded by __getattr__
            setup.embeddings(),
            max_bytes=job.max_bytes,
            max_chars=setup.max_chars,
            on_document=lambda: channel.send(("tick",)),
            ocr=setup.ocr,
            on_ocr_page=lambda path, number: channel.send(("page", number)),
        )
        summary = ingestor.run([InputFile(job.path, job.root)])
        channel.send(("done", summary, store.batches))
    except Exception as e:
        logger.exception("ingesting %s failed", job.path.name)
        channel.send(("failed", f"{type(e).__name__}: {e}"))


if __name__ == "__main__":
    main()
