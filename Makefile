# The two set-up commands of the README: `make run` (the demo service) and `make test` (everything).
# Both create the virtualenv and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint pod bench fuzz soak

$(STAMP): requirements.txt requirements-dev.txt requirements-checkov.txt setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -e .
	$(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/chaos serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

# The production pod's shape on https://127.0.0.1:8443 until Ctrl-C: the edge (nginx, TLS), gunicorn
# and a stand-in for the Cloud SQL proxy, configured by the rendered master manifests; prints a curl.
pod: $(STAMP)
	$(BIN)/python -m tests.pod

# Benchmark: chaos under gunicorn vs a Flask floor on a throw-away embedded database (a few minutes);
# prints the figures and targets and writes bench/results/latest.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run

# Fuzzing: schemathesis, every check, >= 1000 cases against a demo app on 127.0.0.1 with its files in /tmp.
fuzz: $(STAMP)
	$(BIN)/python -m tests.resilience.fuzz

# Soak (not in CI): SOAK_SECONDS (default 600) at half the measured capacity; 5xx, worker RSS, connections.
soak: $(STAMP)
	$(BIN)/python -m tests.resilience.soak
