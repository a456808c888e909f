# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := liaison.settings

.PHONY: demo test imports lint install check bench bench-figures bench-writers bench-sweep bench-outbox messages clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

## Run the portal with demo data on SQLite, with reminders (Celery over the filesystem).
## Another address or port: make demo PORT=8001 (or ADDRPORT=0.0.0.0:8001).
PORT ?= 8000
ADDRPORT ?= 127.0.0.1:$(PORT)
demo: install
	$(BIN)/python manage.py run_demo $(ADDRPORT)

## Run the whole test suite (SQLite unless DATABASE_URL is set).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Check that the apps import only downwards (contracts in pyproject.toml).
imports: install
	$(BIN)/lint-imports

## Lint, format check, types (files in pyproject.toml) and the OpenAPI schema without warnings.
## DEBUG=1 only lets the settings load without a SECRET_KEY; nothing is served.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy
	schema=$$(mktemp --suffix=.yml) && trap 'rm -f "$$schema"' EXIT && \
	  DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --file "$$schema"

check: install
	$(BIN)/python manage.py check

## Lists, search, detail and create at 100 and 100,000 complaints against plain Django floors
## (PostgreSQL: BENCH_DATABASE_URL, each size in <name>_<size>).
bench: install
	$(BIN)/python bench/run.py

## Figures at 1,000,000 complaints and 100,000 action items, the reminder sweep against its bare SELECT and
## a 10-client API create against a plain create view (PostgreSQL: BENCH_FIGURES_DATABASE_URL).
bench-figures: install
	$(BIN)/python bench/figures.py

## One dated archive (database, stored files, audit checkpoint) into var/backups/ (BACKUP_DIR=...).
backup: install
	$(BIN)/python manage.py backup $(if $(BACKUP_DIR),--output-dir $(BACKUP_DIR))

## Restore ARCHIVE=var/backups/liaison-backup-....tar into an empty database and storage.
restore: install
	@test -n "$(ARCHIVE)" || (echo "usage: make restore ARCHIVE=path/to/liaison-backup-....tar [FORCE=1]" >&2; exit 2)
	$(BIN)/python manage.py restore $(if $(FORCE),--force) "$(ARCHIVE)"

## Concurrent writers in one mechanism and in several (PostgreSQL: BENCH_WRITERS_DATABASE_URL).
bench-writers: install
	$(BIN)/python bench/writers.py

## The reminder sweep over 1,000,000 deadlines against a bare SELECT (PostgreSQL: BENCH_SWEEP_DATABASE_URL).
bench-sweep: install
	$(BIN)/python bench/sweep.py

## Outbox messages per second through a local fake gateway, and a transition's cost of emitting events.
bench-outbox: install
	$(BIN)/python bench/outbox.py

## Compile the translations (locale/*/LC_MESSAGES/django.po), from the repository root so that
## Django finds its settings.
messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

clean:
	rm -rf var liaison.sqlite3
