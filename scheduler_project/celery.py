"""The Celery application: configured from Django settings (``CELERY_*``)."""

import gc
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_ready

from scheduler_project.core import redisbroker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scheduler_project.settings")

redisbroker.install()
app = Celery("scheduler_project", task_cls="scheduler_project.core.worker:ScheduledTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
@worker_process_init.connect
def keep_collector_pauses_short(**_: Any) -> None:
    """Trade rare long garbage-collector pauses for frequent short ones.

    Celery's request, message and timer objects and httpx's responses form
    reference cycles, so every task leaves garbage that only a full collection
    frees. Left to the defaults a full collection came every few seconds and
    stopped every thread for 100 ms or more, which is the tail of firing
    lateness. Freezing what start-up loaded takes it out of every later
    collection, and letting a full collection follow each second-generation one
    keeps each pause to the garbage of about a second.
    """
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, 1)
