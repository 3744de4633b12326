# The two commands: `make run` (the application with the seed data, SQLite) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
MANAGE := .venv/bin/python manage.py
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run prod test lint format navigateur

# uv installs the locked dependencies in seconds; bootstrap it with pip when the machine has none.
$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: .venv/.synced

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) charger_exemples
	@# The worker lays out transmitted versions' PDFs in the background; it stops with the server.
	$(MANAGE) db_worker & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:8000

# Production on this machine (docs/production.md): PostgreSQL, collectstatic, migrations, gunicorn and the worker,
# with the production settings. Plain HTTP here, so no redirect to HTTPS and no secure-only cookies.
PROD_ENV := DJANGO_SETTINGS_MODULE=calpae.settings.prod \
  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/calpae} \
  DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")} \
  DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
  DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0
prod: install
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster 15 main start
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='calpae'" | grep -q 1 || \
	  createdb -h 127.0.0.1 -U postgres calpae
	export $(PROD_ENV); \
	  $(MANAGE) collectstatic --noinput -v 0 && $(MANAGE) migrate --noinput && $(MANAGE) createcachetable && \
	  { nice -n 10 $(MANAGE) db_worker & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	    GUNICORN_BIND=127.0.0.1 PORT=8000 .venv/bin/gunicorn calpae.wsgi --config gunicorn.conf.py; }

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used): install it when missing.
navigateur:
	@[ -x /usr/bin/chromium ] || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

test: install lint navigateur
	.venv/bin/lint-imports  # the apps' layers (pyproject.toml, docs/architecture.md)
	DJANGO_SETTINGS_MODULE=calpae.settings.test $(MANAGE) makemigrations --check --dry-run
	.venv/bin/pytest -n 2
