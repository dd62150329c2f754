# Two commands: `make demo` and `make test`. Both set up a virtual environment first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo-org

.PHONY: setup demo test lint typecheck pytest addon-test clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	rm -rf $(DEMO_DIR)
	$(BIN)/okrtree init $(DEMO_DIR) --example
	$(BIN)/okrtree sync $(DEMO_DIR)
	$(BIN)/okrtree tree $(DEMO_DIR)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# PYTEST_ARGS lets a nested run (the README-commands test) leave itself out.
pytest: setup
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

addon-test:
	cd addon && npm ci --no-audit --no-fund --loglevel=error && npm test

test: lint typecheck addon-test pytest

clean:
	rm -rf $(VENV) $(DEMO_DIR) addon/node_modules
