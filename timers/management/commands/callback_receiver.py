import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from standardwebhooks.webhooks import WebhookVerificationError

from scheduler_project.core.services import default_tenant
from timers.receiver import CallbackReceiver, Received, verify


class Command(BaseCommand):
    help = "Run a loopback receiver that prints each timer callback and checks its signature."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=4000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        secret = default_tenant().webhook_secret

        def show(item: Received) -> None:
            try:
                verify(secret, item)
                signature = "signature ok"
            except WebhookVerificationError as exc:
                signature = f"signature NOT verified ({exc})"
            # A job's task says which job, task and firing it is (and a condition's value).
            task = "".join(
                f" {name}={value}"
                for name, value in item.headers.items()
                if name.lower().startswith("x-scheduler-")
            )
            self.stdout.write(
                f"callback {item.path} webhook-id={item.headers.get('webhook-id')}{task} "
                f"{signature} body={item.body.decode(errors='replace')}"
            )

        receiver = CallbackReceiver(host, port)
        receiver.on_receive = show
        receiver.start()
        self.stdout.write(f"receiving callbacks on {receiver.url('/')}")
        threading.Event().wait()
