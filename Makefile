# The two set-up commands of the README: `make run` (the demo service) and `make test` (everything).
# Both create the virtualenv and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv pip install --quiet --python $(BIN)/python
# uv trusts the platform's certificate store, as pip does (a company proxy's CA included).
export UV_SYSTEM_CERTS := 1
SERVE  := $(VENV)/.serve-installed
DEV    := $(VENV)/.dev-installed

.PHONY: install run test lint lock client pod bench fuzz soak replay

# What serving the demo needs, and only that: the locked serving dependencies (exact versions, checked
# hashes), then chaos itself, editable, with the training and demo extras. uv installs them (a few
# seconds where pip takes half a minute); it comes pinned, with hashes, from requirements-installer.txt.
# Each step says what it does first: a first install takes a while, and silence looks like a hang.
$(SERVE): requirements-installer.txt requirements.lock pyproject.toml
	@echo "make: [1/4] creating the virtualenv $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@echo "make: [2/4] installing the installer (uv, pinned with hashes)"
	@$(BIN)/pip install --quiet --require-hashes -r requirements-installer.txt
	@echo "make: [3/4] installing the serving dependencies (requirements.lock, hashes checked)"
	@$(UV) --require-hashes -r requirements.lock
	@echo "make: [4/4] installing chaos with its train and demo extras"
	@$(UV) -e '.[train,demo]'
	@touch $@

# The test, lint and lock tools on top; checkov in a virtualenv of its own.
$(DEV): $(SERVE) requirements-dev.txt requirements-checkov.txt
	$(UV) -r requirements-dev.txt
	$(BIN)/uv venv --quiet --allow-existing $(VENV)/checkov
	$(BIN)/uv pip install --quiet --python $(VENV)/checkov/bin/python -r requirements-checkov.txt
	touch $@

install: $(DEV)

run: $(SERVE)
	$(BIN)/chaos serve

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Two pytest workers, each taking whole files: most of the suite waits on servers, installs and
# pipelines rather than computing, so two halve the wall time on two cores; each worker starts its
# own PostgreSQL and installs, so more would cost more than they save.
test: lint
	$(BIN)/pytest --numprocesses 2 --dist loadfile

# Re-pin requirements.lock after a change to pyproject.toml's dependencies, the retraining image's
# requirements-train.lock (the same pins plus chaos[train]), and the installer (needs PyPI).
UV_VERSION := 0.13.9
lock: $(DEV)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --extra train \
		--constraint requirements.lock --no-emit-index-url --no-emit-find-links \
		--output-file requirements-train.lock pyproject.toml
	echo "uv==$(UV_VERSION)" | CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
		--no-emit-index-url --no-emit-find-links --output-file requirements-installer.txt -

# Regenerate the typed Python client in clients/python from the app's OpenAPI document (no server needed);
# tests/client fails while it is out of date.
client: $(DEV)
	$(BIN)/python -m tests.client.generate

# The production pod's shape on https://127.0.0.1:8443 until Ctrl-C: the edge (nginx, TLS), gunicorn
# and a stand-in for the Cloud SQL proxy, configured by the rendered master manifests; prints a curl.
pod: $(DEV)
	$(BIN)/python -m harness.pod

# Benchmark: chaos under gunicorn vs a Flask floor on a throw-away embedded database (under 6 minutes on
# a quiet 2-core machine); prints the figures and targets and writes bench/results/latest.md. Options go
# in BENCH_ARGS, e.g. `make bench BENCH_ARGS="--load-cpus 1"` for a quieter measurement, `--breakdown`
# for where a request's CPU goes, `--only capacity` or `--only calibrate-job` (python -m bench.run --help).
bench: $(DEV)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Fuzzing: schemathesis, every check, >= 1000 cases against a demo app on 127.0.0.1 with its files in /tmp.
fuzz: $(DEV)
	$(BIN)/python -m tests.resilience.fuzz

# The real export's holdout replayed day by day through the API (scored, outcomes reported, calibrated,
# measured), every day rather than the suite's first ten; prints each day's figures (skips without the export).
replay: $(DEV)
	CHAOS_REPLAY_DAYS=all $(BIN)/pytest tests/integration/test_replay.py -s -q -rs

# Soak (not in CI): SOAK_SECONDS (default 600) at half the measured capacity; 5xx, worker RSS, connections.
soak: $(DEV)
	$(BIN)/python -m tests.resilience.soak
