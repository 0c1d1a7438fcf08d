# Two entry points: `make serve` (set up and serve the guide locally) and `make test`
# (set up and run the whole suite). Everything lands in .venv/ and node_modules/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup serve build test lint web bench bench-browser clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

web: setup
	$(BIN)/python -m inmail_guide.webbuild

serve: web
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: web
	$(BIN)/mkdocs build --strict

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	npx --no-install tsc --project jsconfig.json

test: lint
	$(BIN)/pytest

bench: web
	$(BIN)/python scripts/bench_checker.py

bench-browser: web
	$(BIN)/python scripts/bench_browser.py

clean:
	rm -rf $(VENV) node_modules site build dist
