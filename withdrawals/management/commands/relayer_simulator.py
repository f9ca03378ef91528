import threading
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from withdrawals.relayer_simulator import RelayerSimulator


class Command(BaseCommand):
    help = "Run the local relayer simulator (quotes, relays, deduplicates by key and nullifier)."

    def add_arguments(self, parser: CommandParser) -> None:
        url = urlsplit(settings.RELAYER_URL)
        parser.add_argument("--host", default=url.hostname or "127.0.0.1")
        parser.add_argument("--port", type=int, default=url.port or 4001)
        parser.add_argument("--fee", type=int, default=settings.RELAYER_SIM_FEE)

    def handle(self, *args: Any, host: str, port: int, fee: int, **options: Any) -> None:
        simulator = RelayerSimulator(host, port, fee=fee).start()
        self.stdout.write(f"relayer simulator listening on {simulator.url}")
        threading.Event().wait()
