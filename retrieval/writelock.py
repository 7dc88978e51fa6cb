"""One writer at a time per data dir, and leases that tell a live writer from a dead one.

An embedded Chroma keeps each collection's vector index in the memory of the process
that opened it; a process that writes from an index loaded before another process
wrote persists its own copy over the other's, and the other's vectors become unreadable
("Error finding id"). So every write to a store happens under :class:`WriteLock`, an
``flock`` on ``<data dir>/write.lock`` that the kernel releases when its process dies
(``kill -9`` included), and the store reloads Chroma when another process has written
since it last looked (see ``Store.writing``).

A :class:`Lease` names a process — pid, its start time and the machine's boot — so that
a report left ``pending`` is cleared only when the process that was writing it is
provably gone, never while it is still at work.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

_POLL_SECONDS = 0.2


class StoreBusyError(Exception):
    """Another process holds the write lock and the caller would not wait."""


@dataclass(frozen=True)
class Lease:
    """A process that writes: enough to tell, later, whether it is still running."""

    pid: int
    started: str  # the process's start time (clock ticks since boot) and the boot's id
    host: str
    command: str = ""

    @classmethod
    def mine(cls) -> Lease:
        return cls(os.getpid(), process_start(os.getpid()) or "", socket.gethostname(), _command())

    def is_mine(self) -> bool:
        """Whether this lease is the calling process's own."""
        me = Lease.mine()
        return (self.pid, self.started, self.host) == (me.pid, me.started, me.host)

    def alive(self) -> bool:
        """False only when this process is provably gone: on this machine, no process
        with its pid, or one started at another time (the pid was reused)."""
        if self.host != socket.gethostname():
            return True  # another machine's process: we cannot tell, so it may be alive
        if self.pid == os.getpid():
            return self.started == (process_start(self.pid) or "")
        started = process_start(self.pid)
        if started is not None:
            return started == self.started
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return not self.started  # no /proc here: a pid that exists may be ours

    def describe(self) -> str:
        return f"pid {self.pid}" + (f": {self.command}" if self.command else "")

    __str__ = describe

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Lease | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["started"]), str(data["host"]),
                       str(data.get("command", "")))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            return None


def process_start(pid: int) -> str | None:
    """When process ``pid`` started, as "<ticks since boot>@<boot id>" (Linux), or None
    when there is no such process or no /proc to ask."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: fields after its ")".
    fields = stat[stat.rfind(")") + 2 :].split()
    return f"{fields[19]}@{boot}" if len(fields) > 19 else None


def _command() -> str:
    args = [os.path.basename(sys.argv[0]) if sys.argv else "python", *sys.argv[1:4]]
    return " ".join(args)[:120]


class WriteLock:
    """An exclusive, re-entrant (within a process) lock on one data dir's writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def holder(self) -> Lease | None:
        """The process holding the lock, as it wrote itself down (None if free or unknown)."""
        try:
            return Lease.from_json(self.path.read_text(encoding="utf-8"))
        except OSError:
            return None

    @contextmanager
    def held(
        self, *, wait: bool = True, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[bool]:
        """Hold the lock for the block; yields True when this call took it (False when
        the calling thread already held it). Waits for another process unless
        ``wait`` is false, when :class:`StoreBusyError` says who holds it."""
        with self._thread_lock:
            first = self._depth == 0
            if first:
                self._acquire(wait, on_wait)
            self._depth += 1
            try:
                yield first
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self, wait: bool, on_wait: Callable[[str], None] | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not self._try(fd):
                holder = self.holder()
                who = holder.describe() if holder else "another process"
                if not wait:
                    raise StoreBusyError(
                        f"another govqa process ({who}) is writing to {self.path.parent}; "
                        "try again when it is done, or leave out --no-wait to wait for it"
                    )
                if on_wait is not None:
                    on_wait(f"waiting for another govqa process ({who}) to finish writing "
                            f"to {self.path.parent} …")  # fmt: skip
                while not self._try(fd):
                    time.sleep(_POLL_SECONDS)
            os.ftruncate(fd, 0)
            os.pwrite(fd, Lease.mine().to_json().encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    @staticmethod
    def _try(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def _release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the descriptor releases the flock
