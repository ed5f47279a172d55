# Everything starts from plain Python 3.11: the first target that needs it builds .venv.
# Two stamps: `make run` installs only what the bot needs at run time; test, lint, format
# and bench add the `dev` extra (pytest, hypothesis, ruff, mypy) on top.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
RUN_STAMP := $(VENV)/.run-stamp
DEV_STAMP := $(VENV)/.dev-stamp

.PHONY: install run test lint format bench clean

$(RUN_STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) -e . >&2
	@touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	@$(PIP) -e '.[dev]' >&2
	@touch $(DEV_STAMP)

install: $(DEV_STAMP)

run: $(RUN_STAMP)
	@$(BIN)/minwon-bot run

test: $(DEV_STAMP)
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(DEV_STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
