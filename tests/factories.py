"""factory_boy factories for the models tests create directly."""

from datetime import timedelta

import factory
from django.utils import timezone

from scheduler_project.core.models import Tenant
from timers.models import Timer


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tenant-{n}")
    name = factory.LazyAttribute(lambda t: t.slug)


class TimerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timer

    tenant = factory.SubFactory(TenantFactory)
    execute_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    due_at = factory.LazyAttribute(lambda t: t.execute_at)
    callback_url = "http://127.0.0.1:9/hook"
    callback_payload = factory.LazyFunction(lambda: {"event": "test"})
