# Two entry points for a fresh clone:
#   make demo   - the CLI against the built-in emulator (no credentials needed)
#   make test   - every check CI runs: lint, format, types, stale sync code, tests + coverage,
#                 benchmarks (quick), docs (strict build), the built wheel installed and run
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The demo gets a venv of its own with only what a user installs: the package and its emulator.
DEMO_VENV  := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed

.PHONY: demo test lint types unasync-check pytest bench bench-quick docs docs-cli build wheel-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DEMO_VENV)/bin/python -m pip install --quiet -e '.[emulator]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(DEMO_VENV)/bin/pysophos --emulator endpoint list

test: lint types unasync-check pytest bench-quick docs wheel-check

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

types: $(STAMP)
	$(BIN)/mypy src bench

unasync-check: $(STAMP)
	$(BIN)/python scripts/unasync.py --check

pytest: $(STAMP)
	$(BIN)/pytest -q --cov --cov-report=term

bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick

docs: $(STAMP)
	$(BIN)/ruff check docs/cookbook
	$(BIN)/ruff format --check docs/cookbook
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

docs-cli: $(STAMP)
	$(BIN)/python scripts/gen_cli_docs.py > docs/cli.md.tmp && mv docs/cli.md.tmp docs/cli.md

build: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist
	$(BIN)/twine check dist/*

wheel-check: $(STAMP)
	PYTHON=$(BIN)/python sh scripts/check_wheel.sh

clean:
	rm -rf $(VENV) $(DEMO_VENV) dist build .coverage htmlcov
