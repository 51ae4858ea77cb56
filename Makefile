# Tiketti: `make demo` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Request threads of the demo web server: two per core and one, as granian advises (its
# default, 512, makes it warn at start).
WEB_THREADS ?= $(shell $(BIN)/python -c "import os; print(2 * (os.cpu_count() or 1) + 1)")
TIKETTI := $(BIN)/tiketti
DATA_DIR ?= var

.PHONY: help install test-tools messages makemessages demo run test test-fast test-browser lint typecheck bench clean

help:
	@echo "make demo   - install, migrate, load demo data, run web + worker on http://127.0.0.1:$(PORT)"
	@echo "make test   - install and run the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - benchmarks; they print figures"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ interpreter: install one or set PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing Tiketti and its dependencies into $(VENV) ..."
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed messages test-tools

# axe-core for the browser tests' accessibility checks, from the npm registry at the version
# package-lock.json pins (node_modules is never committed). Without npm, or offline, the
# checks are skipped (the demo still starts); in CI (CI=true) that is an error.
test-tools:
	@if command -v npm >/dev/null 2>&1; then \
		test node_modules/.package-lock.json -nt package-lock.json || \
		npm ci --no-audit --no-fund --loglevel=error || \
		{ echo "npm ci failed: the browser tests' accessibility checks will be skipped."; test -z "$$CI"; }; \
	else echo "npm not found: the browser tests' accessibility checks will be skipped."; test -z "$$CI"; fi

# Compiled catalogues are build products: made from the committed .po files.
messages: $(VENV)/.installed
	@$(BIN)/python scripts/compile-messages

# For translators: refresh the .po files from the source (needs GNU gettext's xgettext).
makemessages: $(VENV)/.installed
	cd src/tiketti && DEBUG=1 ../../$(TIKETTI) makemessages -l fi -l pl --no-obsolete \
		--ignore 'tests/*' --ignore '*/tests/*'

$(DATA_DIR)/secret_key:
	@mkdir -p $(DATA_DIR)
	@$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

demo: install $(DATA_DIR)/secret_key
	@export SECRET_KEY_FILE=$(DATA_DIR)/secret_key TIKETTI_BASE_URL=http://127.0.0.1:$(PORT); \
	$(TIKETTI) migrate -v 0 && \
	$(TIKETTI) collectstatic --noinput -v 0 && \
	$(TIKETTI) demo-data && \
	$(MAKE) --no-print-directory run

# The demo's staff sign in with the printed password alone (production requires a second
# factor for staff: docs/security.md); TIKETTI_STAFF_2FA_REQUIRED=1 make demo to try it.
# The worker is restarted whenever it exits (production: systemd, docs/deploy.md).
# Ctrl+C (or a TERM) stops web and worker and ends cleanly. Not `trap 'kill 0'`: that also
# signals this shell, whose trap then runs again and again until bash overflows its stack
# ("Segmentation fault"), and it kills make. Each job runs in its own process group (set -m),
# so Ctrl+C reaches only make and this shell; the trap is reset, each job's group gets one
# TERM (granian stops its workers itself) and the shell waits for them. The web server
# ending stops the worker.
run:
	@export SECRET_KEY_FILE=$(DATA_DIR)/secret_key TIKETTI_BASE_URL=http://127.0.0.1:$(PORT) \
		TIKETTI_STAFF_2FA_REQUIRED=$${TIKETTI_STAFF_2FA_REQUIRED:-0}; \
	set -m; \
	stop() { trap - INT TERM EXIT; for job in $$(jobs -p); do kill -TERM -- -$$job 2>/dev/null; done; wait; }; \
	trap 'stop; echo "Tiketti stopped (web and worker)."; exit 0' INT TERM; trap stop EXIT; \
	while true; do \
		$(TIKETTI) worker; \
		echo "The worker exited (status $$?); starting it again in 5 s (Ctrl+C stops)."; \
		sleep 5; \
	done & \
	echo "Tiketti is running on http://127.0.0.1:$(PORT)/ (Ctrl+C stops web and worker)"; \
	$(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 1 \
		--blocking-threads $(WEB_THREADS) --log-level warning --working-dir src \
		tiketti.wsgi:application & \
	set +m; wait -n

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy src
	DEBUG=1 $(TIKETTI) makemigrations --check --dry-run -v 1

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(DATA_DIR) node_modules .pytest_cache .mypy_cache .ruff_cache
