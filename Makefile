# InterURPS — development tasks. Needs only a system python3 (3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: run test quality fix install serve bench-national

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_geography --if-empty
	$(BIN)/python manage.py create_organizations
	$(BIN)/python manage.py load_demo
	@echo "InterURPS démarre sur http://$(HOST)/ (avec un worker des travaux en arrière-plan)"
	$(BIN)/python manage.py run_with_worker $(HOST)

test: $(INSTALLED)
	$(BIN)/python -m pytest

quality: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

fix: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Builds the national dataset into DATABASE_URL (PostgreSQL, filled, not dropped) and runs
# the load test (gunicorn 2 workers, locust 10 users): see docs/benchmarks.md.
# BUILD=0 reuses a database already built.
bench-national: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	PYTHON=$(BIN)/python bench/national.sh
