# Parrhesia — the two commands: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT := $(shell command -v apt-get 2>/dev/null)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
export PARRHESIA_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo serve test test-sqlite test-postgres test-e2e lint bench system-deps messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  if [ -n "$(APT)" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv python3-dev; \
	  else echo "Python's venv module is missing: install python3-venv" >&2; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	@touch $(STAMP)

## demo: install, migrate an embedded SQLite database, seed the demo organisation and serve it
demo: $(STAMP)
	$(BIN)/parrhesia demo --url http://$(HOST):$(PORT)
	$(BIN)/parrhesia serve --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/parrhesia serve --host $(HOST) --port $(PORT)

## system-deps: Debian's chromium and postgresql for the tests, when missing and apt is there
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(APT)" ]; then echo "Installing Debian packages:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (the tests need them)" >&2; exit 1; fi; \
	fi

## test: everything — SQLite, PostgreSQL, browser
test: system-deps $(STAMP)
	bash scripts/test-all

test-sqlite: $(STAMP)
	$(BIN)/pytest -n 2 -m "not e2e and not assembly"

test-postgres: system-deps $(STAMP)
	bash scripts/test-all postgres

test-e2e: system-deps $(STAMP)
	$(BIN)/pytest -m e2e tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check parrhesia tests bench tools conftest.py
	$(BIN)/mypy --strict parrhesia/methods
	$(BIN)/lint-imports
	$(BIN)/python tools/house_rules.py

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## messages: refresh the translation catalogues (English and French)
messages: $(STAMP)
	cd parrhesia && ../$(BIN)/django-admin makemessages -l fr --ignore 'methods/*' --ignore 'cli/*' --settings=parrhesia.config.settings
	cd parrhesia && ../$(BIN)/django-admin compilemessages --settings=parrhesia.config.settings

clean:
	rm -rf $(VENV) var test-artifacts
