# Two commands for a fresh machine with only Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint migrations-check

# Under a lock beside the virtualenv ($(VENV).lock): `make run` and `make test` started together
# install once, the second waiting for the first (scripts/install.py).
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) scripts/install.py --venv $(VENV) --stamp $(STAMP) requirements-dev.txt requirements.txt

install: $(STAMP)

# Migrate, load the demo data (cases, then their issued and delivered documents), then serve
# the admin and the API on http://$(HOST):$(PORT) together with a Celery worker running beat
# (scripts/run.py), printing the addresses and the demo accounts once both are up. Ctrl-C stops
# both, once, and exits quietly.
# A development server: debug on unless the caller says otherwise (debug off needs a secret key).
run: export DJANGO_DEBUG ?= true
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_holiday_calendar
	$(PY) manage.py load_demo_data --no-credentials
	$(PY) manage.py load_demo_documents
	@$(PY) scripts/run.py --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

test: lint migrations-check
	$(VENV)/bin/pytest
