"""The Celery application: configured from Django settings (``CELERY_*``)."""

import gc
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_ready

from scheduler_project.core.departures import redis_transport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scheduler_project.settings")
# Django's system checks run with `manage.py migrate` (make run, the deployment's migrate
# step), not again at each worker start, where they would import every view and URL the
# worker never serves: a worker its supervisor restarts is back sooner. Celery's own
# switch; set it empty to run them.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

redis_transport.install()
app = Celery("scheduler_project", task_cls="scheduler_project.core.departures.worker_request:ScheduledTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
@worker_process_init.connect
def keep_collector_pauses_short(**_: Any) -> None:
    """Keep garbage-collector pauses short: they stop every thread, and so they
    are the tail of firing lateness.

    Freezing what start-up loaded (modules, Django, Celery) takes it out of
    every later collection. Garbage in reference cycles, which only a full
    collection frees, is kept rare (see ``core.departures.worker_request.ScheduledRequest``); a
    full collection may follow every second-generation one, so whatever cycles
    remain are freed a little at a time rather than in one long pause.
    """
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, 1)
