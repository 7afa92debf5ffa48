# The entry points a person types. See README.md for what each does.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock pyproject.toml | sha1sum | cut -c1-12)
PYTEST_ARGS ?=
WORKERS ?= 2
EJ_WORKERS ?= 2
RELAYS ?= 1

.PHONY: help install run test test-fast up down status bench bench-docs lint audit fmt typecheck lock clean asyncapi

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) ## Create .venv and install exactly the locked versions

run: $(STAMP) ## Start the whole platform embedded (one process, port 8000) with the demo school
	$(BIN)/ej run

test: $(STAMP) ## Start what the tests need (PostgreSQL, RabbitMQ, Redis, 2 x SeaweedFS) and run all tests
	deploy/local/infra.sh start
	. deploy/local/env.sh && $(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(STAMP) ## Unit tests only (nothing running needed)
	$(BIN)/pytest -m "not infra" $(PYTEST_ARGS)

up: $(STAMP) ## Distributed mode: each service its own processes on real infrastructure (EJ_WORKERS=n API processes and RELAYS=n outbox relays per service, WORKERS=n report workers)
	deploy/local/infra.sh start
	WORKERS=$(WORKERS) EJ_WORKERS=$(EJ_WORKERS) RELAYS=$(RELAYS) deploy/local/up.sh

down: ## Stop the distributed mode's processes (the infrastructure keeps running)
	deploy/local/down.sh

status: ## What is running
	deploy/local/infra.sh status
	@deploy/local/down.sh --status || true

bench: $(STAMP) ## Benchmarks (BENCH_ARGS="case … --scale X --runs N"): figures with targets (✔/✘) into var/bench/, then docs/benchmarks.md
	deploy/local/infra.sh start
	. deploy/local/env.sh && $(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench docs

bench-docs: $(STAMP) ## Regenerate docs/benchmarks.md from var/bench/*.json
	$(BIN)/python -m bench docs

lint: $(STAMP) ## ruff, mypy --strict on kit and contracts, and the dependency audit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kit contracts
	$(MAKE) audit

# Audits exactly the pinned set (--no-deps: the lock is already the full closure;
# --disable-pip: no throw-away venv) against PyPI's advisory data. --strict fails on a pin
# that could not be audited. Known, accepted advisories go here as --ignore-vuln ID with
# their reason, and in docs/security.md (none today).
audit: $(STAMP) ## Dependency audit of requirements.lock (pip-audit against PyPI's advisories)
	$(BIN)/pip-audit -r requirements.lock --strict --disable-pip --no-deps \
		--vulnerability-service pypi --progress-spinner off

fmt: $(STAMP) ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

asyncapi: $(STAMP) ## Write the generated AsyncAPI document to docs/asyncapi.json
	$(BIN)/ej asyncapi > docs/asyncapi.json

lock: ## Re-resolve pinned versions into requirements.lock (needs uv)
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean: ## Remove the embedded mode's data and caches
	rm -rf var/embedded .pytest_cache .ruff_cache .mypy_cache
