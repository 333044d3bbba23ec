# Two commands set everything up on a fresh machine:
#   make run    start the bot (console when no token is set)
#   make test   run the whole test suite
# Both create .venv when it is missing. `make run` installs the pinned run-time dependencies
# (requirements.lock); `make test`, `make lint` and `make bench` add the pinned development ones
# (requirements-dev.lock: test runner, linters, scikit-learn for training the symptom classifier).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
RUN_STAMP := $(VENV)/.revive-run
DEV_STAMP := $(VENV)/.revive-dev

.PHONY: run test lint bench train clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Revive needs Python 3.10 or later (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(PIP) -r requirements.lock
	@touch $(RUN_STAMP)

$(DEV_STAMP): requirements-dev.lock requirements.lock pyproject.toml | $(BIN)/python
	$(PIP) -r requirements-dev.lock
	@touch $(RUN_STAMP) $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m bot run

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m mypy
	$(BIN)/python -m bot check-knowledge

bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py
	@for extra in bench/conversation.py bench/quality.py bench/telegram_load.py; do \
		if [ -f $$extra ]; then echo "== $$extra"; $(BIN)/python $$extra || exit 1; fi; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
