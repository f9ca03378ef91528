"""The web process: ``python -m scheduler_project.serve`` runs the API under granian.

Every way the web process is started (the Procfile under ``make run``, the image's
default command, the tests and the bench) goes through here, so they all serve with the
same options. Read from the environment:

- ``BIND_ADDRESS`` (``0.0.0.0``) and ``PUBLIC_PORT`` (or ``PORT``; ``3000``);
- ``WEB_WORKERS`` (``2``): worker processes; ``WEB_THREADS`` (``4``): request threads in each;
- ``WEB_ACCESS_LOG`` (``1``): one line per request on standard error.

granian parses HTTP in Rust, where gunicorn's worker parsed it in Python: a create costs
the web process about a fifth less CPU (4.45 M to 3.62 M instructions, by callgrind). On
SIGTERM it stops accepting, lets the requests in flight finish (at most ``GRACEFUL_SECS``) and exits 0;
a worker that dies is started again. A worker whose server is killed outright ends by
itself within ``WATCH_SECS`` (``end_with_server``), as it would otherwise serve on.
"""

import multiprocessing
import os
import sys
import threading
import time

from django.core.exceptions import ImproperlyConfigured

from scheduler_project.env import env_bool, env_int, env_str

GRACEFUL_SECS = 20
WATCH_SECS = 0.25
# Names the server process for its workers (this process's pid: the server replaces it).
SERVER_PID = "SCHEDULER_WEB_SERVER_PID"


def command() -> list[str]:
    """The granian command line the environment asks for (read as settings read it)."""
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "scheduler_project.wsgi:application",
        "--host", env_str("BIND_ADDRESS", "0.0.0.0").strip(),  # noqa: S104
        "--port", str(env_int("PUBLIC_PORT", 3000, minimum=1, maximum=65535, aliases=("PORT",))),
        "--workers", str(env_int("WEB_WORKERS", 2, minimum=1, maximum=64)),
        "--blocking-threads", str(env_int("WEB_THREADS", 4, minimum=1, maximum=256)),
        "--no-ws", "--respawn-failed-workers", "--workers-kill-timeout", str(GRACEFUL_SECS),
        "--access-log" if env_bool("WEB_ACCESS_LOG", True) else "--no-access-log",
    ]  # fmt: skip


def end_with_server() -> None:
    """In a worker of a server started here: end this process as soon as the server is gone.

    granian's workers do not notice their server's death: killed outright (``kill -9``, out
    of memory), it left them serving on its port with the old code, beside the server
    started in its place, and no one would stop them. A worker checks that its parent is
    still the server, from before Django loads; a server stopping normally stops its
    workers first."""
    server = os.environ.get(SERVER_PID, "")
    # The server that forked this process, even when it is already gone (getppid would
    # then name whoever adopted it, and a worker still starting would serve on).
    parent = multiprocessing.parent_process()
    if parent is None or str(parent.pid) != server:
        return  # not a worker of such a server (the server itself, a test, a shell)

    def watch() -> None:
        while os.getppid() == parent.pid:
            time.sleep(WATCH_SECS)
        print(f"serve: the web server (pid {server}) is gone; its worker (pid {os.getpid()}) ends too",
              file=sys.stderr, flush=True)  # fmt: skip
        os._exit(1)

    threading.Thread(target=watch, name="end-with-server", daemon=True).start()


if __name__ == "__main__":
    try:
        args = command()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"serve: {exc}") from None
    os.environ[SERVER_PID] = str(os.getpid())
    os.execv(args[0], args)  # noqa: S606
