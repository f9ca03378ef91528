"""``make run`` as a new user runs it, in a fresh copy of the project: the environment
wins over the generated ``.env``, which only fills what the environment leaves unset."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values

from scheduler_project.testing.servers import eventually, free_port
from tests.conftest import ROOT

CHOSEN_KEY = "a-key-the-user-chose-0123456789abcdefghijkl"
VENV = Path(sys.executable).parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project's files as a clone has them (tracked and new, nothing ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    copy = tmp_path / "project"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


class MakeRun:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.port = free_port()
        self.receiver_port = free_port()
        self.log = project / f"make-run-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, extra: dict[str, str]) -> None:
        env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
        env.update(
            PUBLIC_PORT=str(self.port),
            METRICS_PORT=str(free_port()),
            FLOWER_PORT=str(free_port()),
            RECEIVER_PORT=str(self.receiver_port),
            TEE_PORT=str(free_port()),
            CHAIN_SIM_PORT=str(free_port()),
            RELAYER_URL=f"http://127.0.0.1:{free_port()}",
            **extra,
        )
        # The suite's venv stands in for the one make run would create (-o: do not reinstall).
        command = ["make", f"VENV={VENV}", "-o", f"{VENV}/bin/.installed", "run"]
        with self.log.open("wb") as handle:
            self.proc = subprocess.Popen(
                command, cwd=self.project, env=env, stdout=handle, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        eventually(self._answers, timeout=90, interval=0.5)

    def _answers(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"make run exited:\n{self.log.read_text(errors='replace')}")
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def status_with(self, key: str) -> int:
        response = httpx.get(f"http://127.0.0.1:{self.port}/timers", headers={"X-API-Key": key}, timeout=5)
        return response.status_code

    def readies(self, name: str) -> int:
        """How many times the worker ``name`` has said it is ready (consuming) since this start."""
        lines = self.log.read_text(errors="replace").splitlines()
        return sum(1 for line in lines if f" {name}@" in line and line.endswith(" ready."))

    def create(self, key: str, url: str, at: float) -> None:
        execute_at = datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")
        response = httpx.post(
            f"http://127.0.0.1:{self.port}/timers",
            json={"execute_at": execute_at, "callback_url": url},
            headers={"X-API-Key": key},
            timeout=5,
        )
        assert response.status_code == 201, response.text

    def logs_in(self, name: str, password: str) -> bool:
        """Whether the admin's login form takes ``name`` and ``password``."""
        with httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10) as client:
            form = client.get("/admin/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            assert token, form[:500]
            answer = client.post(
                "/admin/login/?next=/admin/",
                data={"username": name, "password": password, "csrfmiddlewaretoken": token[1]},
            )
            return answer.status_code == 302 and answer.headers["location"] == "/admin/"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # make, honcho and every process it started
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def make_run(project: Path) -> Iterator[MakeRun]:
    run = MakeRun(project)
    try:
        yield run
    finally:
        run.stop()


def test_make_run_takes_the_api_key_from_the_environment_and_else_from_env_file(
    make_run, project, receiver, private_postgres, private_redis
):
    make_run.start({"API_KEY": CHOSEN_KEY})
    generated = dotenv_values(project / ".env")["API_KEY"]
    assert generated and generated != CHOSEN_KEY
    assert make_run.status_with(CHOSEN_KEY) == 200
    assert make_run.status_with(generated) == 401
    # The admin (and the console) open with the login make run wrote to .env.
    name, _, password = (dotenv_values(project / ".env")["ADMIN_LOGIN"] or "").partition(":")
    assert make_run.logs_in(name, password)
    assert not make_run.logs_in(name, password + "-wrong")
    # The console: its login is the admin's, its script collected by make run and served.
    console = httpx.get(f"http://127.0.0.1:{make_run.port}/console/")
    assert (console.status_code, console.headers["location"]) == (302, "/admin/login/?next=/console/")
    htmx = httpx.get(f"http://127.0.0.1:{make_run.port}/static/console/htmx-2.0.11.min.js")
    assert htmx.status_code == 200 and b"htmx" in htmx.content
    # The tour's receiver prints each callback as it comes (its output is not held in a buffer).
    make_run.create(CHOSEN_KEY, f"http://127.0.0.1:{make_run.receiver_port}/tour", 1577836800.0)
    eventually(lambda: "callback /tour webhook-id=" in make_run.log.read_text(errors="replace"), timeout=30)
    make_run.stop()

    # The second time on PostgreSQL and Redis, as a deployment runs it.
    make_run.start({"DATABASE_URL": private_postgres.url, "REDIS_URL": private_redis.url})
    assert make_run.status_with(generated) == 200
    assert make_run.status_with(CHOSEN_KEY) == 401

    # A worker that crashes is started again, with a clear message, and the rest keep running.
    # One delivery worker per core (DELIVERY_PROCESSES), each named for its honcho process.
    assert len(celery_processes("deliverer.2")) == int(len(os.sched_getaffinity(0)) > 1)
    (doomed,) = celery_processes("deliverer.1")
    os.kill(doomed, signal.SIGKILL)
    eventually(lambda: celery_processes("deliverer.1") not in ([], [doomed]), timeout=30)
    log = make_run.log.read_text(errors="replace")
    assert f"deliverer.1 (pid {doomed}) was killed by SIGKILL; starting it again in 1 s" in log
    assert make_run.proc is not None and make_run.proc.poll() is None

    # Killed again and again with timers in hand, each time started again under its own
    # name by the supervisor: every death is seen, and its timers arrive on time.
    due: dict[str, float] = {}
    for round_ in range(3):
        eventually(lambda: make_run.readies("deliverer.1") == round_ + 2, timeout=60)
        at = time.time() + 2.5
        for n in range(10):
            due[f"/held/{round_}/{n}"] = at
            make_run.create(generated, receiver.url(f"/held/{round_}/{n}"), at)
        time.sleep(1)  # sent ahead with their ETA: some wait in deliverer.1
        (doomed,) = celery_processes("deliverer.1")
        os.kill(doomed, signal.SIGKILL)
        time.sleep(2)
    hits = {hit.path: hit for hit in receiver.wait_for(len(due), timeout=60) if hit.path in due}
    assert hits.keys() == due.keys()
    late = {path: round(hit.arrived - due[path], 2) for path, hit in hits.items()}
    assert max(late.values()) <= 5, late  # not a lease later

    # So is the web server killed outright: the workers it leaves go with it, so that the
    # new one gets the port.
    (server,) = web_servers(make_run.port)
    os.kill(server, signal.SIGKILL)
    # One server again, a new one: no orphaned worker of the killed one serving on beside it.
    eventually(lambda: len(found := web_servers(make_run.port)) == 1 and found != [server], timeout=30)
    eventually(make_run._answers, timeout=30, interval=0.2)
    assert len(web_servers(make_run.port)) == 1
    assert f"web (pid {server}) was killed by SIGKILL; starting it again in 1 s" in make_run.log.read_text()
    make_run.create(generated, receiver.url("/after-restart"), 1577836800.0)
    assert receiver.wait_for(1, path="/after-restart", timeout=30)


def test_the_environment_wins_over_env_file_and_a_variable_set_empty_stays_set(tmp_path):
    """The Makefile's loader (python-dotenv's ``dotenv run --no-override``, stock) fills from
    ``.env`` only what the environment leaves unset; see docs/decisions."""
    (tmp_path / ".env").write_text(
        "# comment\nAPI_KEY=from-file\nexport FLOWER_PORT='5556'\nLOG_LEVEL=debug\n"
    )
    show = "show-env: ; @$(WITH_ENV) env"
    command = ["make", "-s", "-f", str(ROOT / "Makefile"), f"BIN={VENV / 'bin'}", "--eval", show, "show-env"]
    environ = {"PATH": os.environ["PATH"], "API_KEY": "from-environment", "LOG_LEVEL": ""}
    shown = subprocess.run(command, cwd=tmp_path, env=environ, check=True, capture_output=True, text=True)
    seen = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
    assert (seen["API_KEY"], seen["FLOWER_PORT"], seen["LOG_LEVEL"]) == ("from-environment", "5556", "")


def celery_processes(name: str) -> list[int]:
    """The pids of this machine's celery workers named ``name@...`` (not their wrappers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in argv and f"{name}@%h".encode() in argv and not any(b"supervise" in a for a in argv):
            found.append(int(entry.name))
    return found


def _argv(pid: str) -> list[bytes]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return []


def web_servers(port: int) -> list[int]:
    """The pids of this machine's web servers on ``port``: granian's main processes, and
    any worker whose main process is gone (not the workers of a live one)."""
    found = []
    for entry in Path("/proc").iterdir():
        argv = _argv(entry.name)
        if b"granian" in argv and str(port).encode() in argv:
            try:
                parent = (entry / "stat").read_text().rpartition(")")[2].split()[1]
            except OSError:
                continue  # gone meanwhile
            if b"granian" not in _argv(parent):
                found.append(int(entry.name))
    return found
