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

# The demo judges the example on its own date (sheets_templates/example.py AS_OF), so what it
# shows matches the README whatever today is. An existing demo-org keeps its edits.
DEMO_AS_OF = $(BIN)/python -c 'from sheets_templates.example import AS_OF; print(AS_OF)'

demo: setup
	@if [ -d $(DEMO_DIR) ]; then \
	  echo "Keeping $(DEMO_DIR) (your edits); to start afresh: rm -rf $(DEMO_DIR) && make demo"; \
	else \
	  $(BIN)/okrtree init $(DEMO_DIR) --example; \
	fi
	@as_of=$$($(DEMO_AS_OF)) && \
	echo "Judged as of $$as_of, the example's date (okrtree's default is today)." && \
	$(BIN)/okrtree sync $(DEMO_DIR) --as-of $$as_of && \
	$(BIN)/okrtree tree $(DEMO_DIR) --as-of $$as_of --depth 3

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
