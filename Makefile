# The two set-up commands of the README: `make run` (the demo service) and `make test` (everything).
# Both create the virtualenv and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint pod

$(STAMP): requirements.txt requirements-dev.txt setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -e .
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/chaos serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

# Pod rehearsal: the rendered master pod's app container run locally behind a stand-in for the proxy.
pod: $(STAMP)
	$(BIN)/pytest tests/delivery/test_pod_rehearsal.py
