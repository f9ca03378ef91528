"""Settings, read from the environment.

With nothing set, the service runs embedded: SQLite in ``var/`` and a
filesystem broker, so ``make run`` needs no server. Set ``DATABASE_URL`` and
``CELERY_BROKER_URL`` (or ``REDIS_URL``) for PostgreSQL and Redis. Every
variable is listed in docs/configuration.md with its default.
"""

import ipaddress
import socket
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from scheduler_project.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_rate,
    env_str,
    parse_pcrs,
    parse_server,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-key-set-DJANGO_SECRET_KEY-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- service -----------------------------------------------------------------
# Required by the web server only (scheduler_project.wsgi): workers and client-side
# commands such as `manage.py seal_withdrawal` run without it.
API_KEY = env_str("API_KEY")
if API_KEY and len(API_KEY) < 32:
    raise ImproperlyConfigured("API_KEY must be at least 32 characters long")
# "name:password" of a staff login for the admin and the console, created or brought in
# line by `manage.py ensure_admin` (make run writes a random one to .env).
ADMIN_LOGIN = env_str("ADMIN_LOGIN")
if ADMIN_LOGIN and not all(part.strip() for part in ADMIN_LOGIN.partition(":")[::2]):
    raise ImproperlyConfigured("ADMIN_LOGIN must be name:password, both non-empty")
WEBHOOK_SECRET = env_str("WEBHOOK_SECRET")
if WEBHOOK_SECRET and not WEBHOOK_SECRET.startswith("whsec_"):
    raise ImproperlyConfigured("WEBHOOK_SECRET must start with whsec_")
PUBLIC_PORT = env_int("PUBLIC_PORT", 3000, minimum=1, maximum=65535, aliases=("PORT",))
BIND_ADDRESS = env_str("BIND_ADDRESS", "0.0.0.0")  # noqa: S104 (the replaced service's default)
METRICS_PORT = env_int("METRICS_PORT", 3001, minimum=1, maximum=65535)
MAXIMUM_REQUEST_SIZE = env_int("MAXIMUM_REQUEST_SIZE", 102400, minimum=1024)
BATCH_MAXIMUM_REQUEST_SIZE = env_int("BATCH_MAXIMUM_REQUEST_SIZE", 4 * 1024 * 1024, minimum=1024)
# The size middleware is the limit; Django's own (2.5 MB) would refuse a large batch first.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(MAXIMUM_REQUEST_SIZE, BATCH_MAXIMUM_REQUEST_SIZE)
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "60000/min")  # per API key: a burst of 10,000 creates fits
PUBLIC_RATE_LIMIT = env_rate("PUBLIC_RATE_LIMIT", "100/min")  # per client IP, public write routes
# Proxies in front of the web server whose X-Forwarded-For entries are trusted: the client
# is the address that many entries from the right (0: the connecting address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)

# --- CORS ------------------------------------------------------------------------------
# The public withdrawal routes answer browsers of any origin (wallets run in web pages), as
# the original does, unless CORS_ALLOWED_ORIGINS lists the ones allowed. The API-key routes
# (timers, jobs, tasks) answer only the origins in CORS_API_ALLOWED_ORIGINS (none by
# default); the admin, metrics and the admin API never.
CORS_PUBLIC_PATHS = r"^/(public_key|schedule_withdraw|withdrawals/[^/]+|health)$"
CORS_API_PATHS = r"^/(timers|jobs|tasks|signing_secret)(/.*)?$"
CORS_ALLOWED_ORIGINS = [o for o in env_list("CORS_ALLOWED_ORIGINS", "*") if o != "*"]
CORS_ALLOW_ALL_ORIGINS = "*" in env_list("CORS_ALLOWED_ORIGINS", "*")
CORS_API_ALLOWED_ORIGINS = env_list("CORS_API_ALLOWED_ORIGINS")
CORS_URLS_REGEX = CORS_PUBLIC_PATHS  # the API-key routes: scheduler_project.core.cors
CORS_ALLOW_HEADERS = ["accept", "content-type", "idempotency-key", "x-api-key"]
CORS_EXPOSE_HEADERS = ["retry-after"]

# --- operations ----------------------------------------------------------------------
# Off while unset; when set it must be a real secret (the replaced service's placeholder is refused).
ADMIN_BEARER_TOKEN = env_str("ADMIN_BEARER_TOKEN")
WEAK_ADMIN_TOKENS = {"change-this-in-production", "changeme", "admin", "secret", "password"}
if ADMIN_BEARER_TOKEN and (ADMIN_BEARER_TOKEN.lower() in WEAK_ADMIN_TOKENS or len(ADMIN_BEARER_TOKEN) < 32):
    raise ImproperlyConfigured("ADMIN_BEARER_TOKEN must be a random secret of at least 32 characters")
WORKER_HEARTBEAT_SECS = env_float("WORKER_HEARTBEAT_SECS", 10.0, minimum=0.1)
# The host a worker's heartbeat names: workers of one host (one PID namespace) see whether
# each other's processes still run, and take back the work of one that died. Containers
# sharing a PID namespace (docker/compose.yml) set the same name; default: the hostname.
WORKER_HOST = env_str("WORKER_HOST", "") or socket.gethostname()
WORKER_OFFLINE_AFTER_SECS = env_int("WORKER_OFFLINE_AFTER_SECS", 600, minimum=1)
# A worker whose clock is off the database's by more than this claims nothing (core.clock).
WORKER_MAX_CLOCK_OFFSET_SECS = env_float("WORKER_MAX_CLOCK_OFFSET_SECS", 2.0, minimum=0.01)
WORKER_ROW_RETENTION_SECS = env_int("WORKER_ROW_RETENTION_SECS", 86400, minimum=60)
BEAT_STALE_AFTER_SECS = env_int("BEAT_STALE_AFTER_SECS", 30, minimum=2)
ALERT_WEBHOOK_URL = env_str("ALERT_WEBHOOK_URL")
ALERT_WEBHOOK_SECRET = env_str("ALERT_WEBHOOK_SECRET")
if ALERT_WEBHOOK_SECRET and not ALERT_WEBHOOK_SECRET.startswith("whsec_"):
    raise ImproperlyConfigured("ALERT_WEBHOOK_SECRET must start with whsec_")
PUBLIC_STATS_CACHE_SECS = env_int("PUBLIC_STATS_CACHE_SECS", 5, minimum=0)
IDEMPOTENCY_KEY_TTL_HOURS = env_int("IDEMPOTENCY_KEY_TTL_HOURS", 24, minimum=1)
WITHDRAWAL_PAYLOAD_RETENTION_DAYS = env_int("WITHDRAWAL_PAYLOAD_RETENTION_DAYS", 7, minimum=0)

# --- scheduling ----------------------------------------------------------------
SCHEDULER_INTERVAL_SECS = env_int("SCHEDULER_INTERVAL_SECS", 1, minimum=1, maximum=3600)
SCHEDULER_BATCH_SIZE = env_int("SCHEDULER_BATCH_SIZE", 100, minimum=1, maximum=10000)
SCHEDULER_LOOKAHEAD_SECS = env_int("SCHEDULER_LOOKAHEAD_SECS", 10, minimum=0, maximum=300)
SCHEDULER_LEASE_SECS = env_int("SCHEDULER_LEASE_SECS", 30, minimum=1)
RECOVERY_WINDOW_SECS = env_int("RECOVERY_WINDOW_SECS", 300, minimum=0)
RECOVERY_FIRE_MISSED = env_bool("RECOVERY_FIRE_MISSED", False)

# --- timers ----------------------------------------------------------------------
TASK_RETENTION_DAYS = env_int("TASK_RETENTION_DAYS", 30, minimum=1)
TIMER_CALLBACK_TIMEOUT_SECS = env_float("TIMER_CALLBACK_TIMEOUT_SECS", 30.0, minimum=0.1)
TIMER_DEFAULT_MAX_ATTEMPTS = env_int("TIMER_DEFAULT_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
TIMER_RETRY_BASE_SECS = env_float("TIMER_RETRY_BASE_SECS", 2.0, minimum=0.0)
TIMER_RETRY_MAX_SECS = env_float("TIMER_RETRY_MAX_SECS", 600.0, minimum=0.0)
TIMER_MAX_PAYLOAD_BYTES = env_int("TIMER_MAX_PAYLOAD_BYTES", 65536, minimum=1)
TIMER_MAX_METADATA_BYTES = env_int("TIMER_MAX_METADATA_BYTES", 16384, minimum=1)
TIMER_MAX_URL_LENGTH = 2048
TIMER_RESPONSE_BODY_LIMIT = 2048
try:
    CALLBACK_ALLOWED_NETWORKS = [
        ipaddress.ip_network(cidr, strict=False) for cidr in env_list("CALLBACK_ALLOWED_NETWORKS")
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"CALLBACK_ALLOWED_NETWORKS: {exc}") from exc
# DNS servers (IP, or IP:port; [IPv6]:port) the SSRF guard asks instead of the system's resolver.
CALLBACK_DNS_SERVERS = [
    parse_server(entry, "CALLBACK_DNS_SERVERS", 53) for entry in env_list("CALLBACK_DNS_SERVERS")
]
CALLBACK_MAX_CONNECTIONS = env_int("CALLBACK_MAX_CONNECTIONS", 256, minimum=1, maximum=65536)
# Callbacks in flight to one host (host and port) in a worker process; 0: no limit. A target
# that hangs holds at most this many delivery threads, the others go on serving other targets.
CALLBACK_MAX_PER_HOST = env_int("CALLBACK_MAX_PER_HOST", 8, minimum=0, maximum=65536)
# Deliveries a worker claims, and records, in one statement (core.departures.batched_strategy);
# 0: each delivery is a plain Celery task of its own.
DELIVERY_BATCH_SIZE = env_int("DELIVERY_BATCH_SIZE", 50, minimum=0, maximum=1000)

# --- withdrawals -------------------------------------------------------------------------
SCHEDULER_MAX_RETRY_COUNT = env_int("SCHEDULER_MAX_RETRY_COUNT", 3, minimum=1, maximum=20)
SCHEDULER_RETRY_DELAY_SECS = env_float("SCHEDULER_RETRY_DELAY_SECS", 60.0, minimum=0.0)
WITHDRAWAL_MAX_HORIZON_SECS = env_int("WITHDRAWAL_MAX_HORIZON_SECS", 90 * 24 * 3600, minimum=60)
WITHDRAWAL_WIPE_PAYLOAD = env_bool("WITHDRAWAL_WIPE_PAYLOAD", True)
RELAYER_URL = env_str("RELAYER_URL", "http://127.0.0.1:4001")
RELAYER_TIMEOUT_SECS = env_float("RELAYER_TIMEOUT_SECS", 10.0, minimum=0.1)
RELAYER_QUOTE_CACHE_SECS = env_float("RELAYER_QUOTE_CACHE_SECS", 2.0, minimum=0.0)
RELAYER_SIM_FEE = env_int("RELAYER_SIM_FEE", 10**15, minimum=0)

# --- TEE ---------------------------------------------------------------------------
# AF_VSOCK to TEE_CID:TEE_PORT when TEE_CID is set, else TCP TEE_HOST:TEE_PORT.
TEE_CID = env_int("TEE_CID", 0, minimum=0) or None
TEE_HOST = env_str("TEE_HOST", "127.0.0.1")
TEE_PORT = env_int("TEE_PORT", 5000, minimum=1, maximum=65535)
TEE_TASK_POOL_CAPACITY = env_int("TEE_TASK_POOL_CAPACITY", 100, minimum=1, maximum=128)
TEE_TASK_POOL_TIMEOUT_SECS = env_float("TEE_TASK_POOL_TIMEOUT_SECS", 5.0, minimum=0.0)
TEE_COMPUTE_TIMEOUT_SECS = env_float("TEE_COMPUTE_TIMEOUT_SECS", 60.0, minimum=0.1)
TEE_HEALTH_TIMEOUT_SECS = env_float("TEE_HEALTH_TIMEOUT_SECS", 1.0, minimum=0.1)
TEE_KEY_DIR = Path(env_str("TEE_KEY_DIR", str(VAR_DIR / "tee")))
# "scheduler": this service's enclave protocol (nonce-bound attestation, typed errors), which
# the local simulator speaks; "shielder": the original enclave's, exactly (AWS Nitro
# attestation documents, no error variant, one request per connection).
TEE_PROTOCOL = env_str("TEE_PROTOCOL", "scheduler")
if TEE_PROTOCOL not in ("scheduler", "shielder"):
    raise ImproperlyConfigured("TEE_PROTOCOL must be scheduler or shielder")
# The attestation root: an Ed25519 public key (scheduler) or the Nitro root certificate, PEM
# (shielder: AWS's public root in production; the simulator writes its own).
TEE_TRUST_ANCHOR = Path(
    env_str(
        "TEE_TRUST_ANCHOR",
        str(TEE_KEY_DIR / ("nitro-root.pem" if TEE_PROTOCOL == "shielder" else "attestation-root.pub.pem")),
    )
)
# The enclave image a Nitro document must measure: "0:<hex>,1:<hex>,2:<hex>" (PCR index and
# value). Required with TEE_PROTOCOL=shielder.
TEE_PCRS = parse_pcrs(env_str("TEE_PCRS"))
if TEE_PROTOCOL == "shielder" and not TEE_PCRS:
    raise ImproperlyConfigured("TEE_PROTOCOL=shielder needs TEE_PCRS, the enclave image's PCR values")
TEE_ATTESTATION_MAX_AGE_SECS = env_int("TEE_ATTESTATION_MAX_AGE_SECS", 300, minimum=1)
TEE_PUBLIC_KEY_CACHE_SECS = env_int("TEE_PUBLIC_KEY_CACHE_SECS", 60, minimum=0)
TEE_SIM_LATENCY_MS = env_int("TEE_SIM_LATENCY_MS", 0, minimum=0)
TEE_SIM_FAILURE_RATE = env_float("TEE_SIM_FAILURE_RATE", 0.0, minimum=0.0)
TEE_SIM_PROTOCOL = env_str("TEE_SIM_PROTOCOL", TEE_PROTOCOL)

# --- Django ------------------------------------------------------------------------
INSTALLED_APPS = [
    # First, so that its admin/base_site.html (the console in the admin's header) is found
    # before the admin's own.
    "scheduler_project.ops.console",
    "scheduler_project.ops.admin_site.SchedulerAdminConfig",  # django.contrib.admin, grouped by task
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_celery_beat",
    "django_prometheus",
    "corsheaders",
    "scheduler_project.core",
    "timers",
    "withdrawals",
    "tee",
    "scheduler_project.ops",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before anything that may answer on its own
    "scheduler_project.core.middleware.RequestSizeLimitMiddleware",
    "scheduler_project.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "scheduler_project.core.middleware.RequestMetricsMiddleware",
]

ROOT_URLCONF = "scheduler_project.urls"
WSGI_APPLICATION = "scheduler_project.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Parameters travel apart from the statement, and a statement run
        # DB_PREPARE_THRESHOLD times on a connection is prepared: PostgreSQL then
        # skips parsing and planning the claim and finish every delivery repeats
        # (decision 0008). Django turns preparing off unless asked; 0 turns it off
        # again (e.g. behind a pooler in transaction mode).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["server_side_binding"] = True
        options["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 5, minimum=0) or None
        # psycopg's default wait for a new connection is minutes: a database host that
        # drops packets or never answers would hold a request or a delivery thread that
        # long, where it should answer 503 or retry within seconds. A connect_timeout in
        # DATABASE_URL's query wins.
        options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5, minimum=2))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "scheduler.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the
                # write lock at BEGIN so two writers queue instead of deadlocking;
                # the busy timeout makes them wait rather than fail.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }
# django-prometheus's backends, for their metrics; PostgreSQL's with a health check that
# needs no round trip (scheduler_project.core.departures.postgresql).
DATABASES["default"]["ENGINE"] = (
    DATABASES["default"]["ENGINE"]
    .replace("django.db.backends.postgresql", "scheduler_project.core.departures.postgresql")
    .replace("django.db.backends.", "django_prometheus.db.backends.")
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, served from process memory while Redis is unreachable.
            "BACKEND": "scheduler_project.core.departures.redis_cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis must cost a request little time.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

LANGUAGE_CODE = "en-us"
# Times in the admin to the second, with their zone (scheduler_project/formats).
FORMAT_MODULE_PATH = ["scheduler_project.formats"]
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

LOG_LEVEL = env_str("LOG_LEVEL", "INFO", aliases=("RUST_LOG",)).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- REST framework ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["scheduler_project.core.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["scheduler_project.core.auth.HasTenant"],
    "DEFAULT_THROTTLE_CLASSES": (
        ["scheduler_project.core.auth.TenantRateThrottle"] if API_RATE_LIMIT else []
    ),
    "DEFAULT_THROTTLE_RATES": {"tenant": API_RATE_LIMIT or None, "public": PUBLIC_RATE_LIMIT or None},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # never None: DRF would then trust any X-Forwarded-For
    "DEFAULT_RENDERER_CLASSES": ["scheduler_project.core.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["scheduler_project.core.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "scheduler_project.core.envelope.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "scheduler_project.core.schema.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Scheduler API",
    "DESCRIPTION": "Timers (HTTP callbacks at a chosen time) and scheduled private withdrawals.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "OAS_VERSION": "3.1.0",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "PREPROCESSING_HOOKS": ["scheduler_project.core.schema.served_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "scheduler_project.core.schema.finish",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TimerStatusEnum": "timers.models.TimerStatus",
        "WithdrawalStatusEnum": "withdrawals.models.WithdrawalStatus",
    },
}

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
if not CELERY_BROKER_URL:
    # Embedded broker: kombu's filesystem transport, with atomic message writes.
    broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = "scheduler_project.core.departures.filesystem_transport:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "control_folder": str(broker_dir / "control"),
        "processed_folder": str(broker_dir / "processed"),
        "polling_interval": 0.05,
    }
else:
    # An ETA message stays reserved, unacknowledged, until it runs; Redis hands
    # it to another worker only after the visibility timeout, so that timeout
    # must exceed the lookahead and the longest retry delay.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECS", 3600, minimum=60),
        # A broker host that does not answer fails a send in 2 s instead of hanging it.
        "socket_connect_timeout": 2,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Task events cost a broker message per task state; Flower switches them on in the
# workers while it runs (its --enable-events default), so they are off otherwise.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=0)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "timers.tasks.sweep_timers": {"queue": "sweeps"},
    "timers.tasks.deliver_timer": {"queue": "deliveries"},
    "withdrawals.tasks.sweep_withdrawals": {"queue": "sweeps"},
    "withdrawals.tasks.process_withdrawal": {"queue": "withdrawals"},
}
# Lets go of the leases of the messages a worker drops when its broker connection breaks.
CELERY_WORKER_CONSUMER = "scheduler_project.core.departures.worker_consumer:Consumer"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "sweep-timers": {
        "task": "timers.tasks.sweep_timers",
        "schedule": timedelta(seconds=SCHEDULER_INTERVAL_SECS),
        # A sweep that could not start within one interval is superseded by the next.
        "options": {"expires": max(SCHEDULER_INTERVAL_SECS, 1)},
    },
    "clean-up-timers": {
        "task": "timers.tasks.clean_up_timers",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    "clean-up-withdrawals": {
        "task": "withdrawals.tasks.clean_up_withdrawals",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    "clean-up-workers": {
        "task": "scheduler_project.core.tasks.clean_up_workers",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 600},
    },
    "clean-up-rate-counts": {
        "task": "scheduler_project.core.tasks.clean_up_rate_counts",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 600},
    },
    "sweep-withdrawals": {
        "task": "withdrawals.tasks.sweep_withdrawals",
        "schedule": timedelta(seconds=SCHEDULER_INTERVAL_SECS),
        "options": {"expires": max(SCHEDULER_INTERVAL_SECS, 1)},
    },
}
