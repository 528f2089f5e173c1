# Two commands do everything: `make run` (embedded, with demo data) and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

UV_VERSION := 0.13.8
# uv from PATH if present, otherwise a private copy installed with pip into .tools/.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
PY := .venv/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The test suite runs on the real services; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: help install run test lint format system-packages bench bench-reminders bench-cohort load load-fault clean

help:
	@echo "make run    start the product with demo data (SQLite, no services needed; PORT=8000)"
	@echo "make test   run the whole suite on PostgreSQL and Redis"
	@echo "make lint   ruff lint + format check, import contracts;  make format  rewrite formatting"
	@echo "make bench  benchmark every page at scale (writes docs/performance.md)"
	@echo "make load   100 partners for 60 s against gunicorn, Celery and PostgreSQL"
	@echo "make load-fault   the same, restarting PostgreSQL in the middle"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(if $(findstring .tools,$(UV)),$(CURDIR)/.tools/bin/uv)
	@$(UV) sync --locked --quiet

# `make run PORT=8001` when 8000 is taken; links in emails follow unless SITE_URL is set.
# The web server gets it as WEB_PORT: honcho sets PORT itself, differently per process.
PORT ?= 8000
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	@$(PY) manage.py check_port $(PORT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "  Open http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Emails land in var/mail/. Ctrl-C stops the web server, worker and beat."
	@echo
	WEB_PORT=$(PORT) $(PY) -m honcho start -f Procfile.dev

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# System packages the tests drive: Chromium for the browser tests (Playwright's own
# download does not work offline), wrk, the benchmark's load generator, and Java for the
# W3C Nu HTML checker (vnu.jar, from npm's vnu-jar; its own Java download is not used).
system-packages:
	@missing=""; \
	test -x /usr/bin/chromium || missing="chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  command -v apt-get >/dev/null || { echo "Please install:$$missing"; exit 1; }; \
	  echo "Installing$$missing..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test: export DATABASE_URL = $(TEST_DATABASE_URL)
test: export REDIS_URL = $(TEST_REDIS_URL)
test: install system-packages node_modules
	$(PY) manage.py check_services --create-database
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# Seeds two PostgreSQL databases at scale (once), then loads every page with wrk.
bench: export REDIS_URL = $(TEST_REDIS_URL)
bench: install system-packages
	$(MAKE) --no-print-directory bench-reminders
	$(MAKE) --no-print-directory bench-cohort
	$(PY) bench/run.py

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json.
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules

# Reminders: one sweep over 100,000 partnerships (10% due) against a raw INSERT, and
# sending through a Celery worker to SMTP on loopback against a plain smtplib loop.
# Printed, not asserted; the results also go to $(BENCH_REMINDERS_JSON) for bench/run.py.
BENCH_REMINDERS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship_bench_reminders
BENCH_REMINDERS_JSON ?= var/bench/reminders.json
bench-reminders: export REDIS_URL = $(TEST_REDIS_URL)
bench-reminders: install
	$(PY) bench/reminders.py --database-url $(BENCH_REMINDERS_DATABASE_URL) --json $(BENCH_REMINDERS_JSON)

# "Propose matches for everyone" on 2,000 mentees and 800 mentors: the solver, the
# proposal and the coordinator's page. Printed, and written to $(BENCH_COHORT_JSON).
BENCH_COHORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship_bench_cohort
BENCH_COHORT_JSON ?= var/bench/cohort.json
bench-cohort: export MEASURING = true
bench-cohort: install
	$(PY) bench/cohort.py --database-url $(BENCH_COHORT_DATABASE_URL) --json $(BENCH_COHORT_JSON)

# --- Load and faults (load/): 100 simulated partners for 60 s -------------------------
# Its own database (seeded once with `seed_load`), Redis database 0 unless overridden.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship_load_run
LOAD_REDIS_URL ?= $(TEST_REDIS_URL)
load: export DATABASE_URL = $(LOAD_DATABASE_URL)
load: export REDIS_URL = $(LOAD_REDIS_URL)
load: install
	$(PY) load/run.py --users 100 --seconds 60

# Restarts this machine's PostgreSQL cluster once, 30 s in (a few seconds' outage).
load-fault: export DATABASE_URL = $(LOAD_DATABASE_URL)
load-fault: export REDIS_URL = $(LOAD_REDIS_URL)
load-fault: install
	$(PY) load/run.py --users 100 --seconds 60 --fault 30
# --- end of load and faults ------------------------------------------------------------

clean:
	rm -rf var .venv .tools node_modules
