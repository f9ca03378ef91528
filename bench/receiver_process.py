"""A loopback receiver in its own process: logs "<path> <arrival unix time>" per request.
A callback that names its event or log (``X-Scheduler-Event-Id``, ``X-Scheduler-Log-Id``)
is logged as "<path>/<that id>", so a scenario can tell each event's or log's callback.

A GET answers ``{"v": N}``, N read from the file ``<log>.value`` (0 while it is absent):
the source of the condition-jobs scenario, switched by writing that file."""

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from scheduler_project.core.http import LocalHTTPServer


def main() -> None:
    port, out_path = int(sys.argv[1]), sys.argv[2]
    host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    lock = threading.Lock()
    out = open(out_path, "w", buffering=1)  # stays open for the life of the process
    value_file = Path(out_path + ".value")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # A reply leaves in one segment, not headers then body: a client that delays its
        # ACK (Linux, 40 ms) would otherwise wait that long for the body.
        wbufsize = 64 * 1024
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            arrived = time.time()
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            named = self.headers.get("X-Scheduler-Event-Id") or self.headers.get("X-Scheduler-Log-Id")
            path = f"{self.path}/{named}" if named else self.path
            with lock:
                out.write(f"{path} {arrived:.6f}\n")

        def do_GET(self) -> None:
            arrived = time.time()
            try:
                value = value_file.read_text().strip() or "0"
            except OSError:
                value = "0"
            body = f'{{"v": {value}}}'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with lock:
                out.write(f"{self.path} {arrived:.6f}\n")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = LocalHTTPServer((host, port), Handler)
    print("receiving", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
