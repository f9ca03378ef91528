"""Servers and hosts of one's own, for the tests and the benchmarks alike: a spare port,
waiting for what was just started, a throwaway PostgreSQL cluster, a Redis server, and
network namespaces standing in for hosts. Stopping or cutting any of them harms nobody
else on the machine."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import redis


def free_port() -> int:
    """A loopback port free now, for a server of one's own that no other run is using."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def eventually(check: Callable[[], Any], *, timeout: float = 30.0, interval: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {check}")
        time.sleep(interval)


PG_BIN = Path("/usr/lib/postgresql/15/bin")


def as_postgres(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a spare port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="scheduler-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return self.url_on("127.0.0.1")

    def url_on(self, address: str) -> str:
        return f"postgres://postgres@{address}:{self.port}/postgres"

    def start(self, *, also_on: str = "") -> None:
        """``also_on``: an address of this machine to listen on besides loopback, whose
        /24 may connect (the test hosts' bridge)."""
        if also_on:
            network = also_on.rsplit(".", 1)[0] + ".0/24"
            with open(self.dir / "data" / "pg_hba.conf", "a") as hba:
                hba.write(f"host all all {network} trust\n")
        listen = ",".join(filter(None, ["127.0.0.1", also_on]))
        options = f"-p {self.port} -k {self.dir} -c listen_addresses={listen}"
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-o", options,
                    "-l", str(self.dir / "log"), "-w", "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D",
                        str(self.dir / "data"), "-m", "immediate", "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A Redis server of its own on a spare port, keeping nothing on disk (as the machine's)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.url_on("127.0.0.1")

    def url_on(self, address: str) -> str:
        return f"redis://{address}:{self.port}/0"

    def start(self, *, also_on: str = "") -> None:
        """``also_on``: an address of this machine to listen on besides loopback."""
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", *filter(None, [also_on]),
                "--protected-mode", "no", "--save", "", "--appendonly", "no",
                "--dir", str(self.dir)]  # fmt: skip
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        eventually(lambda: _pings(self.url), timeout=10, interval=0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.proc = None


def _pings(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.2).ping())
    except redis.RedisError:
        return False


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


class TestHosts:
    """Hosts of the tests' own: network namespaces (``ip netns``), each joined by a veth
    link to a bridge of this machine's, where this machine is ``gateway``. A process started
    in one (``ip netns exec``) has its own loopback and address, and reaches the servers of
    this machine only over its link, as a worker host reaches its database and broker."""

    __test__ = False

    def __init__(self, count: int) -> None:
        tag = os.getpid() % 10000  # interface names: at most 15 characters
        self.bridge = f"sbr{tag}"
        prefix = f"10.213.{os.getpid() % 250}"
        self.gateway = f"{prefix}.1"
        self.network = f"{prefix}.0/24"
        self.names = [f"scheduler-{tag}-h{n}" for n in range(1, count + 1)]
        self.addresses = {name: f"{prefix}.{10 + n}" for n, name in enumerate(self.names, start=1)}
        self._links = {name: f"sv{tag}h{n}" for n, name in enumerate(self.names, start=1)}

    def __enter__(self) -> "TestHosts":
        try:
            ip("link", "add", self.bridge, "type", "bridge")
            ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
            ip("link", "set", self.bridge, "up")
            for name in self.names:
                outside, inside = self._links[name] + "a", self._links[name] + "b"
                ip("netns", "add", name)
                ip("link", "add", outside, "type", "veth", "peer", "name", inside)
                ip("link", "set", inside, "netns", name)
                ip("link", "set", outside, "master", self.bridge, "up")
                ip("-n", name, "addr", "add", f"{self.addresses[name]}/24", "dev", inside)
                ip("-n", name, "link", "set", inside, "up")
                ip("-n", name, "link", "set", "lo", "up")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        # A namespace's end of its link goes with it, and with that end the other.
        for name in self.names:
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)

    def cut(self, name: str) -> None:
        """Take the host's link down: it can reach nothing, nor be reached."""
        ip("link", "set", self._links[name] + "a", "down")

    def mend(self, name: str) -> None:
        ip("link", "set", self._links[name] + "a", "up")


class EmptyAnswers(BaseHTTPRequestHandler):
    """Answers every POST with an empty 200 on a kept-alive connection, and keeps nothing:
    a target whose own CPU is as small as a target's can be."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return
