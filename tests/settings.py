"""Test settings: the real PostgreSQL and Redis of the machine, overridable by env."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scheduler")
# Under pytest-xdist each worker has a Redis database of its own (15, 14, ...), as it has a
# test database of its own: tests flush the broker, and rate limits count per tenant id.
# Chosen once per worker; the processes a worker starts inherit its choice (or an override).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_chosen = f"SCHEDULER_TESTS_REDIS_URL_{_worker or 'main'}"
if _chosen not in os.environ:
    _base = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    _db = int(_base.path.strip("/") or 0)
    _offset = int(_worker.removeprefix("gw") or 0)
    _db = _db - _offset if _db >= _offset else _db + _offset
    os.environ["REDIS_URL"] = os.environ[_chosen] = urlunsplit(_base._replace(path=f"/{_db}"))
os.environ.setdefault("API_KEY", "test-api-key-0123456789abcdefghijklmnop")
os.environ.setdefault("CALLBACK_ALLOWED_NETWORKS", "127.0.0.0/8")
os.environ.setdefault("TIMER_RETRY_BASE_SECS", "0.2")
os.environ.setdefault("TIMER_RETRY_MAX_SECS", "2")
os.environ.setdefault("SCHEDULER_RETRY_DELAY_SECS", "0.2")
os.environ.setdefault("RELAYER_QUOTE_CACHE_SECS", "0")  # tests change the fee mid-test
os.environ.setdefault("WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")

from scheduler_project.settings import *  # noqa: E402, F403

# Tests do not run collectstatic; give WhiteNoise an (empty) directory to serve from, and
# let it serve the apps' own static files (the console's htmx) where they are.
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
