# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := liaison.settings

.PHONY: demo test install check bench bench-figures messages clean

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

check: install
	$(BIN)/python manage.py check

bench: install
	$(BIN)/python bench/run.py

## Figures at 1,000,000 complaints and 100,000 action items (PostgreSQL: BENCH_FIGURES_DATABASE_URL).
bench-figures: install
	$(BIN)/python bench/figures.py

## Compile the translations (locale/*/LC_MESSAGES/django.po), from the repository root so that
## Django finds its settings.
messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

clean:
	rm -rf var liaison.sqlite3
