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
demo: install
	DEBUG=1 $(BIN)/python manage.py run_demo

## Run the whole test suite (SQLite unless DATABASE_URL is set).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/python manage.py check

## Lists, search, detail and create at 100 and 100,000 complaints against plain Django floors
## (PostgreSQL: BENCH_DATABASE_URL, each size in <name>_<size>).
bench: install
	$(BIN)/python bench/run.py

## Figures at 1,000,000 complaints and 100,000 action items (PostgreSQL: BENCH_FIGURES_DATABASE_URL).
bench-figures: install
	$(BIN)/python bench/figures.py

messages: install
	cd liaison && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf var liaison.sqlite3
