"""docs/decisions/0013-httpx-pool-per-origin.md: httpcore's pool looks at every connection
it keeps on each request, so one pool for many hosts costs each callback more the more hosts
were called; ours gives each origin a pool of its own."""

import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import httpcore
import httpx
import pytest

from scheduler_project.core.http import OriginPools
from scheduler_project.testing.servers import EmptyAnswers

ORIGINS = 8
LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=64)


@pytest.fixture
def urls() -> Iterator[list[str]]:
    """A keep-alive server per port: each is an origin of its own."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), EmptyAnswers) for _ in range(ORIGINS)]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.1:{server.server_address[1]}/" for server in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


def post(transport: httpx.BaseTransport, url: str) -> None:
    response = transport.handle_request(httpx.Request("POST", url, content=b"{}"))
    response.read()
    response.close()


def connections_looked_at(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The connections (ids) a pool asks anything about from now on: the pool's scan calls
    these methods of each connection it keeps."""
    looked: set[int] = set()
    for name in ("is_closed", "has_expired", "is_idle", "is_available", "can_handle_request"):
        stock: Callable[..., Any] = getattr(httpcore.HTTPConnection, name)

        def watched(self: Any, *args: Any, _stock: Callable[..., Any] = stock) -> Any:
            looked.add(id(self))
            return _stock(self, *args)

        monkeypatch.setattr(httpcore.HTTPConnection, name, watched)
    return looked


def test_stock_pool_looks_at_every_pooled_connection_on_each_request(urls, monkeypatch):
    """The gain of 0013 rests on this: if httpcore stops looking at the connections to
    other origins on a request, re-run ``make bench --only origins`` (under 10 %: the
    departure goes)."""
    stock = httpx.HTTPTransport(retries=0, limits=LIMITS)
    try:
        for url in urls:  # one idle keep-alive connection per origin
            post(stock, url)
        assert len(stock._pool.connections) == ORIGINS
        looked = connections_looked_at(monkeypatch)
        post(stock, urls[0])
        assert len(looked) == ORIGINS
    finally:
        stock.close()


def test_a_request_through_ours_meets_its_own_origins_connections_only(urls, monkeypatch):
    pools = OriginPools(limits=LIMITS)
    try:
        for url in urls:
            post(pools, url)
        assert pools.origins == ORIGINS
        looked = connections_looked_at(monkeypatch)
        post(pools, urls[0])
        assert len(looked) == 1
    finally:
        pools.close()
