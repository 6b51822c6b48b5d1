# The two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint format lock worker beat bench audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pinned requirements change.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest --durations=25 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate requirements.lock from the pins in pyproject.toml, in a clean venv.
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install --quiet --disable-pip-version-check ".[dev]"
	.lockvenv/bin/python -m pip freeze --exclude i2i-cohorts > requirements.lock
	rm -rf .lockvenv

# Benchmarks, not tests: they print figures for docs/benchmarks.md (PostgreSQL needed).
bench: install
	$(BIN)/python benchmarks/rules.py
	$(BIN)/python benchmarks/dashboard.py --sizes 100,1000,5000
	$(BIN)/python benchmarks/workshop_pack.py --sizes 25,50,100
	$(BIN)/python benchmarks/evaluation.py --sizes 1000,5000
	$(BIN)/python benchmarks/load.py

worker: install
	$(BIN)/celery -A i2i worker -Q celery,pdf --loglevel=INFO

beat: install
	$(BIN)/celery -A i2i beat --loglevel=INFO

# Known vulnerabilities in the pinned dependencies (PyPI's advisory data, on the network, so
# not part of `make test`). pip-audit lives in its own venv, out of the product's.
AUDIT_VENV := .venv-audit
PIP_AUDIT_VERSION := 2.10.1
audit:
	test -x $(AUDIT_VENV)/bin/pip-audit || ($(PYTHON) -m venv $(AUDIT_VENV) && \
		$(AUDIT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		pip-audit==$(PIP_AUDIT_VERSION))
	$(AUDIT_VENV)/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --progress-spinner off --strict

clean:
	rm -rf $(VENV) $(AUDIT_VENV) staticfiles .pytest_cache
