"""The callbacks' transport: one connection pool per origin, kept while in use, and at
most so many connections open in all."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler_project.core.http import OriginPools, deadline, read_at_most
from timers.receiver import CallbackReceiver
from withdrawals.relayer_simulator import RelayerSimulator


class CountingServer(ThreadingHTTPServer):
    """A keep-alive HTTP/1.1 server that counts the connections it accepted."""

    daemon_threads = True

    def __init__(self, delay: float = 0.0) -> None:
        self.accepted = 0
        delay_secs = delay

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(delay_secs)
                body = b"ok" * 1000
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        super().__init__(("127.0.0.1", 0), Handler)

    def get_request(self) -> Any:
        request = super().get_request()
        self.accepted += 1
        return request

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


@pytest.fixture
def servers() -> Iterator[Callable[..., CountingServer]]:
    started: list[CountingServer] = []

    def start(delay: float = 0.0) -> CountingServer:
        server = CountingServer(delay)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def post(pools: OriginPools, url: str) -> tuple[int, bytes]:
    response = pools.handle_request(httpx.Request("POST", url, content=b"{}"))
    try:
        return response.status_code, read_at_most(response, 100_000)
    finally:
        response.close()


def test_each_origin_keeps_its_own_connection_for_the_next_request(servers):
    first, second = servers(), servers()
    pools = OriginPools()

    for _ in range(3):
        assert post(pools, first.url) == (200, b"ok" * 1000)
        assert post(pools, second.url) == (200, b"ok" * 1000)

    assert (first.accepted, second.accepted) == (1, 1)
    assert pools.origins == 2
    pools.close()


def test_an_origin_left_idle_is_closed_on_a_later_request(servers):
    first, second = servers(), servers()
    pools = OriginPools(idle_secs=0.0)

    post(pools, first.url)
    post(pools, second.url)  # the first origin has been idle long enough: its pool goes

    assert pools.origins == 1
    post(pools, first.url)
    assert first.accepted == 2  # a new connection, in a new pool
    pools.close()


def test_an_origin_with_a_request_in_flight_is_not_closed(servers):
    slow, other = servers(delay=0.5), servers()
    pools = OriginPools(idle_secs=0.0)
    results: list[tuple[int, bytes]] = []
    errors: list[BaseException] = []

    def slow_request() -> None:
        try:
            results.append(post(pools, slow.url))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=slow_request)
    thread.start()
    while slow.accepted == 0:  # its connection is open: the request is in flight
        time.sleep(0.01)
    post(pools, other.url)  # prunes idle origins: not the one still answering
    thread.join()

    assert errors == []
    assert results == [(200, b"ok" * 1000)]
    assert pools.origins == 2
    post(pools, slow.url)
    assert slow.accepted == 1  # its pool, and the connection in it, were kept
    pools.close()


def client_connections(ports: set[int]) -> int:
    """Established TCP connections from this machine to ``ports``, as the kernel counts them
    (the client's side: a socket the client closed is no longer established)."""
    count = 0
    for row in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = row.split()
        if fields[3] == "01" and int(fields[2].split(":")[1], 16) in ports:
            count += 1
    return count


def test_callbacks_to_many_origins_never_hold_more_connections_than_the_cap(servers):
    origins = [servers(delay=0.2) for _ in range(10)]
    ports = {server.server_address[1] for server in origins}
    pools = OriginPools(max_open=3)
    results: list[tuple[int, bytes]] = []
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            # The kernel's table is not read in one instant: a socket closed and another
            # opened during a read can both be counted. Two reads in a row must agree.
            seen.append(min(client_connections(ports), client_connections(ports)))
            time.sleep(0.005)

    def call(url: str) -> None:
        with deadline(10):
            results.append(post(pools, url))

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=call, args=(server.url,)) for server in origins * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()

    assert results == [(200, b"ok" * 1000)] * 20
    assert max(seen) == 3  # the cap was reached, and never passed
    assert pools.budget is not None and pools.budget.open <= 3
    pools.close()


def test_at_the_cap_idle_origins_make_room_for_a_new_one(servers):
    origins = [servers() for _ in range(6)]
    ports = {server.server_address[1] for server in origins}
    pools = OriginPools(max_open=2)

    for server in origins:
        with deadline(5):
            assert post(pools, server.url)[0] == 200
        # Each origin keeps its connection for reuse, until a new origin needs the room.
        assert min(client_connections(ports), client_connections(ports)) <= 2

    assert pools.origins <= 2
    pools.close()


def test_a_request_that_finds_every_connection_busy_until_its_deadline_gives_up(servers):
    slow, other = servers(delay=3), servers()
    pools = OriginPools(max_open=1)
    busy = threading.Thread(target=lambda: post(pools, slow.url))
    busy.start()
    while slow.accepted == 0:
        time.sleep(0.01)

    with deadline(0.5), pytest.raises(httpx.PoolTimeout, match="all 1 connections stayed in use"):
        post(pools, other.url)
    busy.join()
    pools.close()


@pytest.mark.parametrize("server", [CallbackReceiver, RelayerSimulator])
def test_the_local_servers_let_a_burst_of_workers_connect_before_they_accept_any(server):
    """Two workers' attempt threads (48) connect at once: every connection gets in, none waits
    for a SYN sent again (a second later) or is reset, however slowly the server accepts."""
    simulator = server()  # listening, not accepting yet
    try:
        connections = [
            socket.create_connection((simulator.host, simulator.port), timeout=0.5) for _ in range(64)
        ]
        for connection in connections:
            connection.close()
    finally:
        simulator.server.server_close()
