"""The server's connection handling (spasmcare.web.connections) on real loopback sockets,
with the listening socket made the way uvicorn's worker supervisor makes it (protocol 0)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
import uvicorn
from uvicorn.server import ServerState

from spasmcare.web.connections import ACCEPTS_PER_WAKEUP, FairAcceptLoop, NoDelayHttpProtocol


class CountingListener(socket.socket):
    """A listening socket that counts the connections taken from it."""

    accepted = 0

    def accept(self) -> tuple[socket.socket, object]:
        connection = super().accept()
        self.accepted += 1
        return connection


@pytest.fixture
def loop() -> Iterator[FairAcceptLoop]:
    event_loop = FairAcceptLoop()
    yield event_loop
    event_loop.close()


def _listener() -> CountingListener:
    listener = CountingListener(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.setblocking(False)
    return listener


def _one_turn(loop: asyncio.AbstractEventLoop) -> None:
    loop.call_soon(loop.stop)
    loop.run_forever()


def test_a_burst_of_connections_is_taken_a_few_per_turn_and_all_are_served(
    loop: FairAcceptLoop,
) -> None:
    listener = _listener()
    made: list[asyncio.BaseTransport] = []

    class Record(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            made.append(transport)

    server = loop.run_until_complete(loop.create_server(Record, sock=listener))
    clients = [socket.create_connection(listener.getsockname()) for _ in range(10)]
    try:
        _one_turn(loop)
        assert listener.accepted == ACCEPTS_PER_WAKEUP  # another worker may take the rest

        async def all_made() -> None:
            while len(made) < len(clients):
                await asyncio.sleep(0.001)

        loop.run_until_complete(asyncio.wait_for(all_made(), 5))
        assert listener.accepted == len(clients)
    finally:
        for transport in made:
            transport.close()
        for client in clients:
            client.close()
        server.close()
        loop.run_until_complete(server.wait_closed())


async def _hello(scope: dict[str, object], receive: object, send: object) -> None:
    assert scope["type"] == "http"
    start = {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]}
    await send(start)  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"hello"})  # type: ignore[operator]


def test_http_connections_have_nagle_off_although_the_listener_has_protocol_0(
    loop: FairAcceptLoop,
) -> None:
    config = uvicorn.Config(_hello, lifespan="off", log_config=None)
    config.load()
    state = ServerState()
    protocols: list[NoDelayHttpProtocol] = []

    def factory() -> NoDelayHttpProtocol:
        protocol = NoDelayHttpProtocol(config=config, server_state=state, app_state={})
        protocols.append(protocol)
        return protocol

    listener = _listener()
    server = loop.run_until_complete(loop.create_server(factory, sock=listener))
    try:

        async def get() -> tuple[bytes, int]:
            reader, writer = await asyncio.open_connection(*listener.getsockname())
            writer.write(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
            await writer.drain()
            answer = await reader.readuntil(b"\r\n\r\n") + await reader.readexactly(5)
            [protocol] = protocols  # the server's side of this open connection
            sock = protocol.transport.get_extra_info("socket")
            nodelay = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writer.close()
            await writer.wait_closed()
            return answer, nodelay

        answer, nodelay = loop.run_until_complete(asyncio.wait_for(get(), 5))
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"hello")
        assert nodelay == 1
    finally:
        for protocol in protocols:
            protocol.transport.close()
        server.close()
        loop.run_until_complete(server.wait_closed())
