# chizheng — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-fast lint typecheck check clean

## install: the environment in .venv and the front-end packages (idempotent)
MO_FILES := $(patsubst %.po,%.mo,$(wildcard chizheng/locale/*/LC_MESSAGES/*.po))

install: $(VENV)/.installed node_modules/.installed $(MO_FILES)
	@$(BIN)/python -m compileall -q -j 0 chizheng config

%.mo: %.po scripts/compile_messages.py
	$(PYTHON) scripts/compile_messages.py

# Bytecode is compiled here, once: where PYTHONDONTWRITEBYTECODE is set (CI, this project's
# machines) Python would otherwise compile every module from source on every start, and a
# `chizheng` command would take seconds before doing anything. The project's own modules
# (an editable install is not in site-packages) are compiled by `install` each time; only
# changed ones are recompiled.
$(VENV)/.installed: pyproject.toml uv.lock Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --compile-bytecode --python $(BIN)/python
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## run: migrate, load reference and demo data, print the logins, serve on 127.0.0.1:8000
run: install
	$(BIN)/chizheng demo

## test: the whole suite (DATABASE_URL=postgresql://… runs it on PostgreSQL)
test: install
	@scripts/ensure-system-packages
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check chizheng config tests

typecheck: install
	$(BIN)/mypy chizheng config tests conftest.py

check: lint typecheck

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache .mypy_cache .ruff_cache
