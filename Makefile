# Two commands set everything up on a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: book test lint typecheck bench clean

# The tests in a process a core (pytest-xdist), at most 4; tests sharing a build stay on one
# worker (groups set in tests/conftest.py). `make test PYTEST_PARALLEL=` runs them in one.
PYTEST_PARALLEL ?= -n auto --maxprocesses=4 --dist loadgroup
# pytest keeps its rewritten test modules, and each build the tests start keeps octavo's compiled
# modules, only where Python may write bytecode: a machine that forbids it
# (PYTHONDONTWRITEBYTECODE) had each worker and each started build compile them again.

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(TESTSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The sample's chapter cache goes with its output in build/, never into the checkout's seeds/.
book: $(STAMP)
	OCTAVO_CACHE_DIR=build/.octavo-cache $(BIN)/octavo build seeds/ -o build

test: $(TESTSTAMP)
	bash scripts/test-deps.sh
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

bench: $(TESTSTAMP)
	$(BIN)/python benchmarks/corpus_score.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
