import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from timers.chain.simulator import ChainSimulator


class Command(BaseCommand):
    help = "Run the local chain simulator (JSON-RPC over HTTP) until SIGTERM or SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8545, help="0 picks a free port")
        parser.add_argument("--block-time", type=float, default=1.0, help="seconds; 0 mines only when told")
        parser.add_argument("--max-range", type=int, default=1000, help="eth_getLogs' widest block range")
        parser.add_argument("--start", type=int, default=0, help="the height of the first block")
        parser.add_argument("--chain-id", type=int, default=31337)

    def handle(
        self, *args: Any, host: str, port: int, block_time: float, max_range: int, start: int, chain_id: int,
        **options: Any,
    ) -> None:  # fmt: skip
        if block_time < 0 or max_range < 1 or start < 0:
            raise CommandError("--block-time and --start must not be negative, --max-range at least 1")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        simulator = ChainSimulator(
            host, port, block_time=block_time, max_range=max_range, start=start, chain_id=chain_id
        )
        with simulator:
            self.stdout.write(f"chain simulator listening on {simulator.url} (chain id {chain_id})")
            self.stdout.flush()
            stop.wait()
