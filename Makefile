# Maatwerk developer and CI entry points (GNU make). `make help` lists the targets.
#
# Python: a small tools venv (.tools/) holds a pinned uv; uv builds the project venv
# (.venv/) from uv.lock and never downloads a Python interpreter. Node: package-lock.json
# pins the front-end assets (htmx; axe-core and LHC-Forms for the browser tests), which
# scripts/vendor_assets.sh copies into place. Stamp files keep repeated runs fast.

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export UV_PYTHON_DOWNLOADS=never

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:

PYTHON3 ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
VENV_STAMP := $(VENV)/.synced
NODE_STAMP := node_modules/.installed
MAATWERK := $(VENV)/bin/maatwerk
PYTEST := $(VENV)/bin/pytest

SYSTEM_PACKAGES := chromium graphviz gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
	postgresql-client
VENDORED := src/maatwerk/web/static/vendor/htmx.min.js tests/e2e/vendor/axe.min.js \
	$(addprefix tests/e2e/vendor/lforms/,webcomponent/styles.css \
	webcomponent/down_arrow_gray_10_10.png webcomponent/magnifying_glass.png \
	webcomponent/assets/lib/zone.min.js webcomponent/runtime.js webcomponent/polyfills.js \
	webcomponent/main.js fhir/R4/lformsFHIR.min.js)

PG_HOST := 127.0.0.1
PG_PORT := 5432
PG_URL := postgres://postgres@$(PG_HOST):$(PG_PORT)/maatwerk

# $(call pytest_strict,ARGS): run pytest; exit code 5 ("no tests collected") is a failure,
# so a suite that silently lost its tests can never pass.
define pytest_strict
rc=0; $(PYTEST) $(1) || rc=$$?; \
if [ $$rc -eq 5 ]; then \
	echo "ERROR: pytest $(strip $(1)) collected no tests (exit 5); an empty suite counts as a failure." >&2; \
fi; \
exit $$rc
endef

.PHONY: help system-deps venv node vendor compilemessages collectstatic install lint \
	test test-core test-web-sqlite test-web-postgres test-e2e test-fuzz test-demo demo bench load fuzz \
	bench-monitoring clean drill crash

help:
	@echo "Maatwerk make targets:"
	@echo "  install            system packages, .venv (uv sync --frozen), npm assets, translations, static files"
	@echo "  lint               ruff check, ruff format --check, mypy, import-linter"
	@echo "  test               install, lint and every test suite (what CI runs)"
	@echo "  test-core          clinical core tests (no Django)"
	@echo "  test-web-sqlite    web tests on SQLite"
	@echo "  test-web-postgres  web tests on PostgreSQL at $(PG_HOST):$(PG_PORT) (skipped with a banner if absent; CI=true fails)"
	@echo "  test-e2e           browser tests in headless Chromium"
	@echo "  test-fuzz          a short API fuzz run (schemathesis) on SQLite and PostgreSQL"
	@echo "  test-demo          start 'maatwerk demo' and log in as the demo clinician"
	@echo "  demo               run the demo on http://127.0.0.1:8000"
	@echo "  bench              benchmarks (tests/bench)"
	@echo "  bench-monitoring   a simulated month of monitoring prompts through two workers (PostgreSQL, Redis)"
	@echo "  fuzz               schemathesis against the API on 127.0.0.1, SQLite and PostgreSQL (FUZZ_ARGS=...)"
	@echo "  load               locust against gunicorn + PostgreSQL on 127.0.0.1 at 50/100/200 users (LOAD_ARGS=...)"
	@echo "  drill              backup/restore drill into fresh instances, SQLite and PostgreSQL (docs/reliability.md)"
	@echo "  crash              kill -9 of web workers and database server during acknowledged saves (docs/reliability.md)"
	@echo "  clean              remove .venv .tools node_modules var and vendored assets"

# --- installation ---------------------------------------------------------------------

system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
		dpkg -s "$$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		echo "Installing missing Debian packages:$$missing"; \
		$$sudo apt-get update; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

$(UV):
	$(PYTHON3) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV_STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

venv: $(VENV_STAMP)

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

node: $(NODE_STAMP)

$(VENDORED) &: $(NODE_STAMP) scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh

vendor: $(VENDORED)

# Translations live in src/maatwerk/web/locale; Django refuses to run when there are none.
compilemessages: $(VENV_STAMP)
	@if [ -n "$$(find src -name '*.po' -print -quit)" ]; then \
		echo "$(MAATWERK) manage compilemessages --ignore=.venv --ignore=node_modules"; \
		$(MAATWERK) manage compilemessages --ignore=.venv --ignore=node_modules; \
	else \
		echo "compilemessages: no .po files under src/ yet, nothing to compile"; \
	fi

# Extract the translatable strings of src/maatwerk/web into its nl and en catalogs, then
# translate the new (empty) entries in locale/nl/LC_MESSAGES/django.po.
# tests/web/test_translations.py fails while the Dutch catalog is behind the source.
.PHONY: messages
messages: $(VENV_STAMP)
	mkdir -p src/maatwerk/web/locale
	cd src/maatwerk/web && MAATWERK_DATA_DIR="$${MAATWERK_DATA_DIR:-$(CURDIR)/var}" \
		$(CURDIR)/$(MAATWERK) manage makemessages -l nl -l en \
		--ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --no-location

collectstatic: $(VENV_STAMP) vendor compilemessages
	$(MAATWERK) manage collectstatic --noinput

install: system-deps venv node vendor compilemessages collectstatic

# --- quality --------------------------------------------------------------------------

lint: $(VENV_STAMP)
	$(UV) lock --check
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/ruff format --check src tests scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# --- tests ----------------------------------------------------------------------------

test: install lint test-core test-web-sqlite test-web-postgres test-e2e test-fuzz test-demo

test-core: $(VENV_STAMP)
	@$(call pytest_strict,tests/core -p no:django -q)

test-web-sqlite: install
	@$(call pytest_strict,tests/web -q)

test-web-postgres: install
	@up=0; \
	if command -v pg_isready >/dev/null 2>&1; then \
		pg_isready -q -h $(PG_HOST) -p $(PG_PORT) && up=1 || true; \
	else \
		$(VENV)/bin/python -c "import psycopg; psycopg.connect('host=$(PG_HOST) port=$(PG_PORT) user=postgres dbname=postgres connect_timeout=5').close()" \
			>/dev/null 2>&1 && up=1 || true; \
	fi; \
	if [ "$$up" = 1 ]; then \
		echo "PostgreSQL is reachable at $(PG_HOST):$(PG_PORT): running tests/web against it"; \
		export DATABASE_URL=$(PG_URL); \
		$(call pytest_strict,tests/web -q); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "ERROR: PostgreSQL is not reachable at $(PG_HOST):$(PG_PORT) (user postgres)." >&2; \
		echo "ERROR: CI must run the web tests on PostgreSQL; start the server and run again." >&2; \
		exit 1; \
	else \
		echo ""; \
		echo "########################################################################"; \
		echo "#"; \
		echo "#  PostgreSQL run SKIPPED: nothing answers at $(PG_HOST):$(PG_PORT)."; \
		echo "#  The web tests ran on SQLite only. Start PostgreSQL (user postgres,"; \
		echo "#  trust auth on $(PG_HOST)) and run 'make test-web-postgres'."; \
		echo "#  With CI=true this is a failure, not a skip."; \
		echo "#"; \
		echo "########################################################################"; \
		echo ""; \
	fi

test-e2e: install
	@$(call pytest_strict,tests/e2e -q)

# A short API fuzz run on both engines (the documented run: make fuzz).
test-fuzz: install
	$(VENV)/bin/python scripts/fuzz/run.py --max-examples 5

test-demo: install
	bash scripts/demo_smoke.sh

# --- running --------------------------------------------------------------------------

demo: install
	$(MAATWERK) demo

bench: install
	@rc=0; $(PYTEST) tests/bench --benchmark-enable -q -s || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "No benchmarks exist yet (tests/bench collected no tests)."; rc=0; fi; \
	exit $$rc

# The full simulated month of monitoring prompts (30 days x 50 patients, database backend
# and RQ, two workers, one killed and replaced): needs PostgreSQL and Redis on 127.0.0.1.
bench-monitoring: install
	MAATWERK_SIM_DAYS=30 MAATWERK_SIM_PATIENTS=50 DATABASE_URL=$(PG_URL) \
		$(PYTEST) tests/web/test_monitoring_month.py -q -s -p no:cacheprovider

# Load: bounded in time (3 x ~50 s), 127.0.0.1 only; figures in docs/reliability.md.
load: install
	$(UV) sync --frozen --group load
	$(VENV)/bin/python scripts/load/run.py $(LOAD_ARGS)

# API fuzzing against a running server; the HTML form fuzzer is tests/web/test_form_fuzz.py.
fuzz: install
	$(VENV)/bin/python scripts/fuzz/run.py $(FUZZ_ARGS)
# --- reliability drills (not part of `make test`; figures in docs/reliability.md) --------

drill: install
	$(VENV)/bin/python scripts/drill.py

crash: install
	$(VENV)/bin/python scripts/crash.py

clean:
	rm -rf .venv .tools node_modules var $(VENDORED)
