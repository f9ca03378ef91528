import os
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from scheduler_project.ops.collectors import OperationsCollector
from tee.metrics import TeeStateCollector
from timers.metrics import ChainLagCollector, TimerBacklogCollector
from withdrawals.metrics import WithdrawalBacklogCollector


class Command(BaseCommand):
    help = "Serve worker metrics (all worker processes, plus backlog gauges) on METRICS_PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.METRICS_PORT)
        parser.add_argument("--address", default=settings.BIND_ADDRESS)

    def handle(self, *args: Any, port: int, address: str, **options: Any) -> None:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        registry.register(TimerBacklogCollector())
        registry.register(ChainLagCollector())
        registry.register(WithdrawalBacklogCollector())
        registry.register(OperationsCollector())
        registry.register(TeeStateCollector())
        server, _thread = start_http_server(port, addr=address, registry=registry)
        self.stdout.write(f"metrics on http://{address}:{port}/metrics")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        server.shutdown()
