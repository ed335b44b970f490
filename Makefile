# The README's two commands for a fresh machine: `make run` and `make test`.
# Each one creates the virtual environment and installs SpasmCare first if needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench soak clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "SpasmCare needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

# The main job: check the knowledge base, then serve the web app and API on SQLite.
run: $(BIN)/.installed
	$(BIN)/spasmcare kb check
	$(BIN)/spasmcare serve --host 127.0.0.1 --port 8000

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n auto

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py

soak: $(BIN)/.installed
	$(BIN)/python bench/soak.py --minutes 10

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis bench/results
