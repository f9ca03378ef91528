"""Test settings: the real PostgreSQL and Redis of the machine, overridable by env."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scheduler")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("API_KEY", "test-api-key-0123456789abcdefghijklmnop")
os.environ.setdefault("CALLBACK_ALLOWED_NETWORKS", "127.0.0.0/8")
os.environ.setdefault("TIMER_RETRY_BASE_SECS", "0.2")
os.environ.setdefault("TIMER_RETRY_MAX_SECS", "2")
os.environ.setdefault("SCHEDULER_RETRY_DELAY_SECS", "0.2")
os.environ.setdefault("RELAYER_QUOTE_CACHE_SECS", "0")  # tests change the fee mid-test
os.environ.setdefault("WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")

from scheduler_project.settings import *  # noqa: F403

# Tests do not run collectstatic; give WhiteNoise an (empty) directory to serve from.
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
