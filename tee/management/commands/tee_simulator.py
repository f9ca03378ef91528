import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tee.nitro import simulated_pcrs
from tee.simulator import SIMULATED_IMAGE, TeeSimulator


class Command(BaseCommand):
    help = "Run the TEE simulator (keys in TEE_KEY_DIR) until SIGTERM or SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.TEE_PORT, help="0 picks a free port")
        parser.add_argument("--latency-ms", type=int, default=settings.TEE_SIM_LATENCY_MS)
        parser.add_argument("--failure-rate", type=float, default=settings.TEE_SIM_FAILURE_RATE)
        parser.add_argument(
            "--protocol", choices=["scheduler", "shielder"], default=settings.TEE_SIM_PROTOCOL,
            help="shielder: the original enclave's protocol and Nitro-format attestation",
        )  # fmt: skip
        parser.add_argument(
            "--print-pcrs", action="store_true", help="print the TEE_PCRS its image measures, exit"
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        latency_ms: int,
        failure_rate: float,
        protocol: str,
        **options: Any,
    ) -> None:
        if options.get("print_pcrs"):
            self.stdout.write(
                ",".join(f"{i}:{v.hex()}" for i, v in sorted(simulated_pcrs(SIMULATED_IMAGE).items()))
            )
            return
        if not 0.0 <= failure_rate <= 1.0:
            raise CommandError("--failure-rate must be between 0 and 1")
        if latency_ms < 0:
            raise CommandError("--latency-ms must not be negative")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        simulator = TeeSimulator(
            host, port, key_dir=settings.TEE_KEY_DIR, latency_ms=latency_ms, failure_rate=failure_rate,
            protocol=protocol,
        )  # fmt: skip
        with simulator:
            if protocol == "shielder":
                pcrs = ",".join(f"{i}:{v.hex()}" for i, v in sorted(simulator.pcrs.items()))
                self.stdout.write(f"Nitro root {simulator.nitro_root_file}; TEE_PCRS={pcrs}")
            self.stdout.write(f"TEE simulator listening on {host}:{simulator.port} ({protocol} protocol)")
            self.stdout.flush()
            stop.wait()
