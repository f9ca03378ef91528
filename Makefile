# The door everyone walks through: make run, make test, make bench, make lint, make migrate.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# PORT is accepted as an alias of PUBLIC_PORT (honcho sets PORT per process itself).
ifdef PORT
export PUBLIC_PORT ?= $(PORT)
endif
# Runs a command with .env filling only what the environment leaves unset: the
# environment always wins (python-dotenv's own loader).
WITH_ENV = $(BIN)/dotenv -f .env run --no-override --

.PHONY: run test lint bench bench-full faults migrate superuser clean client-models

# uv installs the pinned requirements (and compiles them, as pip would) in a fraction of
# pip's time; it is itself pinned and installed by the venv's pip.
UV_VERSION := 0.9.16
$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install -q --python $(BIN)/python --compile-bytecode -r requirements-dev.txt
	touch $@

# Local settings for `make run`, written once with fresh random secrets.
.env:
	@printf '%s\n' \
	  "# Written by 'make run'. Edit freely; see docs/configuration.md for every variable." \
	  "API_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')" \
	  "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(40))')" \
	  "FLOWER_BASIC_AUTH=admin:$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(12))')" \
	  "# The admin's and the console's login (name:password), made by make run." \
	  "ADMIN_LOGIN=admin:$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(12))')" \
	  "# The local tour's receiver listens on 127.0.0.1; production keeps this empty." \
	  "CALLBACK_ALLOWED_NETWORKS=127.0.0.0/8" > $@
	@echo "wrote .env (API_KEY, DJANGO_SECRET_KEY, FLOWER_BASIC_AUTH, ADMIN_LOGIN)"

migrate: $(BIN)/.installed .env
	$(WITH_ENV) sh -c '$(BIN)/python manage.py migrate --noinput && $(BIN)/python manage.py ensure_admin'

# honcho reads no .env of its own (-e /dev/null): it would override the environment.
# Its processes write to pipes: unbuffered, each line shows as it happens (the receiver's).
# DELIVERY_PROCESSES delivery workers (deliverer.1, deliverer.2, ...): one per core by
# default, as one interpreter runs on one core at a time.
run: migrate
	$(WITH_ENV) sh -c '$(BIN)/python manage.py collectstatic --noinput -v0 && \
	  rm -rf var/prometheus && mkdir -p var/prometheus/workers var/prometheus/web && \
	  export PUBLIC_PORT=$${PUBLIC_PORT:-3000} PYTHONUNBUFFERED=$${PYTHONUNBUFFERED-1} \
	    PROMETHEUS_MULTIPROC_DIR=$$PWD/var/prometheus/workers WEB_PROMETHEUS_DIR=$$PWD/var/prometheus/web \
	    PATH=$(abspath $(BIN)):$$PATH && \
	  exec $(BIN)/honcho -e /dev/null -f Procfile start -c deliverer=$${DELIVERY_PROCESSES:-$$(nproc)}'

superuser: migrate
	$(WITH_ENV) $(BIN)/python manage.py createsuperuser

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Five pytest workers (each its own test database and Redis database): the end-to-end
# tests mostly wait on clocks, so workers beyond the cores fill their idle time (with
# four, the cores still idled a tenth of the run). Tests marked xdist_group("whole-stack")
# (outages and hosts of their own, whose timing a second such test beside them would
# upset) run on one worker, one after another.
TEST_WORKERS ?= 5

# The CORS test drives Debian's chromium (tests/withdrawals/test_cors.py).
CHROMIUM ?= /usr/bin/chromium

$(CHROMIUM):
	apt-get install -y --no-install-recommends chromium

# promtool checks docker/observability's Prometheus rules and config (tests/test_observability.py).
PROMTOOL ?= /usr/bin/promtool

$(PROMTOOL):
	apt-get install -y --no-install-recommends prometheus

# The lint runs beside the suite; either failing fails the target. The project's modules
# are compiled first: the suite starts hundreds of processes, which would each compile them
# again where PYTHONDONTWRITEBYTECODE is set. For the same reason one collection runs first
# with bytecode allowed: pytest keeps the test modules as it rewrote them (their asserts)
# only where it may write bytecode, and each worker would otherwise rewrite them all again.
test: $(BIN)/.installed $(CHROMIUM) $(PROMTOOL)
	@$(BIN)/python -m compileall -q scheduler_project timers withdrawals tee bench tests
	@$(MAKE) --no-print-directory lint & linting=$$!; \
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --collect-only -q > /dev/null; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup -m "not faults_only" --durations 15; suite=$$?; \
	wait $$linting; linted=$$?; \
	[ $$linted -eq 0 ] || echo "make test: the lint failed (above)"; \
	[ $$suite -eq 0 ] && [ $$linted -eq 0 ]

# The fault suite, longer than make test's short version (FAULTS_SCALE), one scenario after
# another on PostgreSQL and Redis instances of its own; prints the table and keeps the rows.
FAULTS_SCALE ?= 3
faults: $(BIN)/.installed
	mkdir -p bench/results && rm -f bench/results/faults.jsonl
	FAULTS_SCALE=$(FAULTS_SCALE) FAULTS_REPORT=$(CURDIR)/bench/results/faults.jsonl $(BIN)/pytest \
	  --timeout 900 tests/e2e/test_faults.py tests/e2e/test_restarts.py tests/e2e/test_scale_out.py \
	  tests/e2e/test_timer_concurrency.py::test_the_work_of_a_killed_worker_is_taken_back_at_once_not_a_lease_later

# The Python client's models, generated from the OpenAPI document this checkout serves (no
# service needed). A test fails while they differ from the one a live service serves.
client-models: $(BIN)/.installed
	$(BIN)/python clients/python/generate_models.py

bench: $(BIN)/.installed
	$(BIN)/python -m bench

bench-full: $(BIN)/.installed
	$(BIN)/python -m bench --full

clean:
	rm -rf var staticfiles
