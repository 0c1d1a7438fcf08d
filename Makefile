# Two entry points: `make serve` (set up and serve the guide locally) and `make test`
# (set up and run the whole suite). Everything lands in .venv/ and node_modules/.
#
# The dev environment needs Python 3.12 or later (pyodide-build does; the checker library itself
# supports 3.11+). `make PYTHON=/path/to/python3.x ...` picks one; otherwise scripts/find_python.sh
# finds the newest that runs (python3.1x on PATH, then pyenv's newest installed, then python3).
VENV := .venv
BIN := $(VENV)/bin
NEW_ENOUGH := 'import sys; sys.exit(sys.version_info < (3, 12))'
# Looked for once, and only by the targets that make the virtual environment.
PYTHON ?= $(eval PYTHON := $$(shell bash scripts/find_python.sh))$(PYTHON)
NO_PYTHON := The dev environment needs Python 3.12 or later, and none runs here (python3.1x on \
  PATH, pyenv, python3). Install Python 3.12 or later (python.org, your package manager, pyenv \
  or uv), or name one: make PYTHON=/path/to/python3.13
OLD_PYTHON = PYTHON=$(PYTHON) is not Python 3.12 or later, which the dev environment needs. \
  Name another: make PYTHON=/path/to/python3.13

# The site builder: Material for MkDocs (the default), or Zensical: make serve SITE_BUILDER=zensical
SITE_BUILDER ?= mkdocs
ifeq ($(filter $(SITE_BUILDER),mkdocs zensical),)
  $(error SITE_BUILDER=$(SITE_BUILDER): the site builds with mkdocs (the default) or zensical)
endif

.PHONY: setup serve build test fuzz lint web bench bench-browser clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@# (Re)made when missing, or made by a Python older than 3.12 (before it was needed).
	@if ! $(BIN)/python -c $(NEW_ENOUGH) 2>/dev/null; then \
	  $(if $(PYTHON),$(PYTHON) -c $(NEW_ENOUGH) 2>/dev/null \
	    || { echo "make: $(OLD_PYTHON)" >&2; exit 1; }, echo "make: $(NO_PYTHON)" >&2; exit 1); \
	  rm -rf $(VENV) && echo "$(PYTHON) -m venv $(VENV)" && $(PYTHON) -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

web: setup
	$(BIN)/python -m inmail_guide.webbuild

serve: web
	$(BIN)/$(SITE_BUILDER) serve --dev-addr 127.0.0.1:8000

build: web
	$(BIN)/$(SITE_BUILDER) build --strict

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	npx --no-install tsc --project jsconfig.json
	$(BIN)/actionlint -shellcheck=$(BIN)/shellcheck -pyflakes=$(BIN)/pyflakes
	$(BIN)/shellcheck .ci/run scripts/find_python.sh

test: lint
	$(BIN)/pytest

# Many more hostile drafts than `make test` draws, new ones each run (tests/test_properties.py).
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_properties.py -p no:cacheprovider

bench: web
	$(BIN)/python scripts/bench_checker.py

bench-browser: web
	$(BIN)/python scripts/bench_browser.py
	$(BIN)/python scripts/bench_network.py

clean:
	rm -rf $(VENV) node_modules site build dist
