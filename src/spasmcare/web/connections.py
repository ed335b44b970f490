"""How `spasmcare serve` takes connections: the standard asyncio event loop, accepting a
few connections per wake-up, and TCP_NODELAY on every connection.

Measured with wrk (50 connections, requests costing about a millisecond of CPU):

- uvloop, uvicorn's default when installed, serves some connections far later than others
  once the server is saturated: p99 latency near 800 ms where asyncio's is 55 ms, at the
  same throughput (a bare ASGI app shows it too, so it is not SpasmCare's code).
- With several workers, uvicorn binds the shared socket with protocol number 0, so asyncio
  does not switch Nagle's algorithm off on accepted connections (uvicorn issue #3149) and a
  response's body waits ~40 ms for the client's delayed ACK.
- asyncio accepts up to 100 waiting connections each time the listening socket is ready, so
  when clients connect in a burst one worker can take them all while the other idles
  (throughput halved in one run of three). Taking a few per wake-up lets every worker race
  for them, as nginx does by default; one at a time would make a burst of new connections
  wait many busy loop turns.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

ACCEPTS_PER_WAKEUP = 4


class FairAcceptLoop(asyncio.SelectorEventLoop):
    """asyncio's selector loop, accepting at most ACCEPTS_PER_WAKEUP connections each time
    the listening socket is ready (the rest wait for the next turn, or another worker)."""

    def _accept_connection(  # asyncio's private hook (typeshed does not list it)
        self,
        protocol_factory: Any,
        sock: Any,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *timeouts: Any,
    ) -> None:
        super()._accept_connection(  # type: ignore[misc]
            protocol_factory, sock, sslcontext, server, min(backlog, ACCEPTS_PER_WAKEUP), *timeouts
        )


class NoDelayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with Nagle's algorithm off on TCP connections."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
