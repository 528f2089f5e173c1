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

.PHONY: help install run test lint format check-services browser clean bench

help:
	@echo "make run    start the product with demo data (SQLite, no services needed)"
	@echo "make test   run the whole suite on PostgreSQL and Redis"
	@echo "make lint   ruff lint + format check;  make format  rewrite formatting"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(if $(findstring .tools,$(UV)),$(CURDIR)/.tools/bin/uv)
	@$(UV) sync --locked --quiet

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "  Open http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	@echo "  Emails land in var/mail/. Ctrl-C stops the web server, worker and beat."
	@echo
	$(PY) -m honcho start -f Procfile.dev

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Chromium for the browser tests, from the system's packages (Playwright's download
# does not work offline).
browser:
	@test -x /usr/bin/chromium || { \
	  command -v apt-get >/dev/null || { echo "Install Chromium at /usr/bin/chromium for the browser tests."; exit 1; }; \
	  echo "Installing Chromium for the browser tests..."; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: export DATABASE_URL = $(TEST_DATABASE_URL)
test: export REDIS_URL = $(TEST_REDIS_URL)
test: install browser
	$(PY) manage.py check_services --create-database
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# Reminders benchmark: one sweep over 100,000 partnerships (printed, not asserted).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship_bench
bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench: export REDIS_URL =
bench: install
	$(PY) manage.py check_services --create-database
	$(PY) manage.py migrate --noinput -v 0
	$(PY) bench/reminders_sweep.py

clean:
	rm -rf var .venv .tools
