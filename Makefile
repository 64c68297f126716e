# Ponte: the two commands a new machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell md5sum pyproject.toml | cut -c1-12)
# Bootstrap Italia (served as static files) and axe-core (browser tests) come from the npm
# registry at install time, pinned by package-lock.json; nothing is fetched at run time.
NODE_STAMP := node_modules/.installed-$(shell md5sum package-lock.json | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PEOPLE ?= 300
DEMO_OFFERS ?= 150

.PHONY: run serve test test-search lint bench setup data messages clean

$(STAMP): pyproject.toml
	@scripts/system-packages
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "setup: manca npm (apt-get install nodejs npm)"; exit 2; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

data: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_municipalities
	$(PY) manage.py load_framework
	$(PY) manage.py load_interview_templates
	$(PY) manage.py ml_train --bootstrap
	$(PY) manage.py seed_demo --people $(DEMO_PEOPLE) --offers $(DEMO_OFFERS) --if-empty
	$(PY) manage.py search_rebuild

# The message catalogues: each locale/<lang>/LC_MESSAGES/django.po compiled to the django.mo
# committed beside it (tests/test_locale_catalogues.py fails when one is out of date).
messages:
	@for po in locale/*/LC_MESSAGES/django.po; do \
		msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; \
	done

run: data
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT)

# The same data served as in production: static files collected (whitenoise serves them),
# gunicorn with config/gunicorn.py (workers, threads, timeouts from PONTE_WEB_*).
serve: data
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_logins
	PONTE_WEB_BIND=$(HOST):$(PORT) $(VENV)/bin/gunicorn -c config/gunicorn.py

# Formatting, lint and types: mypy is strict on common, the services and selectors of
# competenze and lavoro, ml and search ([tool.mypy] in pyproject.toml).
lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

test: lint
	$(VENV)/bin/pytest

# The behavioural search suite on a real Elasticsearch node (ELASTICSEARCH_URL; start one with
# scripts/elasticsearch-node start), then the search benchmark's smoke size on that node, on a
# database of its own.
SMOKE_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench-smoke.sqlite3
test-search: setup
	@test -n "$$ELASTICSEARCH_URL" || { echo "test-search: imposta ELASTICSEARCH_URL"; exit 2; }
	$(VENV)/bin/pytest -m search tests/search
	@mkdir -p var
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(PY) manage.py migrate --noinput --verbosity 0
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(PY) manage.py load_municipalities
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(PY) manage.py load_framework
	DATABASE_URL=$(SMOKE_DATABASE_URL) $(PY) manage.py bench --only search --size smoke \
		--backend elasticsearch

# Benchmarks use their own database (100k people are seeded there), not the demo one.
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
# smoke, 10k, 100k or 1m: people + opportunities; the engines side by side (ELASTICSEARCH_URL).
BENCH_SIZE ?= 100k
bench: setup
	@mkdir -p var
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py load_municipalities
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py load_framework
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py ml_train --bootstrap
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench --size $(BENCH_SIZE)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm var staticfiles
