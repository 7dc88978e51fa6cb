"""The HTTP client of LLM mode: one deadline for the whole of each request.

httpx's timeouts bound each phase — the connect, every read, every write — not the request:
an endpoint that sends a byte every two seconds never trips a 5 s read timeout and holds an
answer for minutes. :class:`DeadlineTransport` gives each request ``total`` seconds from its
start, for the headers and the body alike:

- every phase's own timeout is cut to the time left when the request starts;
- a watchdog shuts the connection's socket down when the time is up, which ends a read that
  is blocked waiting for the next byte at once. Connections are not kept alive, so every
  request opens its own and the watchdog learns its socket (httpcore's ``trace``
  extension reports it on connect);
- the body is read through a stream that checks the time between chunks.

Whatever fails once the time is up is raised as ``httpx.ReadTimeout``, which the OpenAI
client reports as a timeout. The OpenAI SDK (openai>=3) runs on ``httpx2``, httpx's
API-identical successor: the client handed to it must be one of those.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import openai

_PHASES = ("connect", "read", "write", "pool")


class _Watchdog:
    """Shuts down the sockets it watches when ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def timeout(self, request: httpx.Request) -> httpx.ReadTimeout:
        return httpx.ReadTimeout(
            f"no complete reply within {self.seconds:g} s (GOVQA_LLM_TIMEOUT)", request=request
        )


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by its connection: nothing to end
        sock.shutdown(socket.SHUT_RDWR)


class _DeadlineStream(httpx.SyncByteStream):
    """A response body read within the request's deadline."""

    def __init__(
        self, inner: httpx.SyncByteStream, watchdog: _Watchdog, request: httpx.Request
    ) -> None:
        self._inner = inner
        self._watchdog = watchdog
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._inner:
                if self._watchdog.expired or not self._watchdog.left():
                    raise self._watchdog.timeout(self._request)
                yield chunk
        except httpx.TransportError as e:
            if self._watchdog.expired and not isinstance(e, httpx.ReadTimeout):
                raise self._watchdog.timeout(self._request) from e
            raise

    def close(self) -> None:
        self._watchdog.cancel()
        self._inner.close()


class DeadlineTransport(httpx.BaseTransport):
    """An HTTP transport that ends every request ``total`` seconds after it starts."""

    def __init__(self, total: float, inner: httpx.BaseTransport | None = None) -> None:
        self.total = total
        self._inner = inner or httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        watchdog = _Watchdog(self.total)
        outer_trace = request.extensions.get("trace")

        def trace(event: str, info: dict[str, Any]) -> None:
            if event == "connection.connect_tcp.complete" and info.get("return_value"):
                sock = info["return_value"].get_extra_info("socket")
                if isinstance(sock, socket.socket):
                    watchdog.watch(sock)
            if outer_trace is not None:
                outer_trace(event, info)

        given = request.extensions.get("timeout") or {}
        left = watchdog.left()
        request.extensions = {
            **request.extensions,
            "trace": trace,
            "timeout": {
                phase: left if given.get(phase) is None else min(given[phase], left)
                for phase in _PHASES
            },
        }
        watchdog.start()
        try:
            response = self._inner.handle_request(request)
        except httpx.TransportError as e:
            watchdog.cancel()
            if watchdog.expired and not isinstance(e, httpx.TimeoutException):
                raise watchdog.timeout(request) from e
            raise
        except BaseException:
            watchdog.cancel()
            raise
        if not isinstance(response.stream, httpx.SyncByteStream):  # not from a sync transport
            watchdog.cancel()
            return response
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_DeadlineStream(response.stream, watchdog, request),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


def deadline_client(total: float, base_url: str) -> httpx.Client:
    """An HTTP client for the OpenAI SDK (its defaults: redirects, limits) whose every
    request to ``base_url`` ends ``total`` seconds after it starts. A proxy the
    environment names for that URL (HTTPS_PROXY, ALL_PROXY, NO_PROXY) is used, as httpx
    would use it without a transport of our own."""
    url = httpx.URL(base_url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if proxy and urllib.request.proxy_bypass(url.host):
        proxy = None
    inner = httpx.HTTPTransport(proxy=proxy, limits=httpx.Limits(max_keepalive_connections=0))
    client: httpx.Client = openai.DefaultHttpxClient(transport=DeadlineTransport(total, inner))
    return client
