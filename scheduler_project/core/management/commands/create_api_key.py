from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from scheduler_project.core.services import create_api_key


class Command(BaseCommand):
    help = "Create an API key for a tenant (created if new); prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant", help="tenant slug, e.g. acme")
        parser.add_argument("--name", default="", help="a label for the key")

    def handle(self, *args: Any, tenant: str, name: str, **options: Any) -> None:
        api_key, raw_key = create_api_key(tenant_slug=tenant, name=name)
        self.stderr.write(
            f"Created key {api_key.prefix}… for tenant {api_key.tenant.slug}; it is shown once:"
        )
        self.stdout.write(raw_key)
