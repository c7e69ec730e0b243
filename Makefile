# The two commands a newcomer needs are `make run` and `make test`; both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Services for tests: the local PostgreSQL and Redis when they answer, else SQLite and skips.
TEST_DATABASE_URL = $(or $(DATABASE_URL),$(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo postgres://postgres@127.0.0.1:5432/wellbeing))
TEST_REDIS_URL = $(or $(REDIS_URL),$(shell redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && echo redis://127.0.0.1:6379/0))
PYTEST_WORKERS ?= 2

.PHONY: setup run serve test test-faults lint format worker beat bench check-deploy clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/wellbeing.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npx sass --no-source-map --load-path=node_modules --style=compressed --quiet-deps \
		static/scss/wellbeing.scss $@

setup: $(VENV)/.installed static/dist/wellbeing.css

# The embedded default: SQLite, tasks in-process, email printed here and kept in the admin outbox.
# Links in emails point where the site is served, unless SITE_URL says otherwise.
RUN_SITE_URL = $(or $(SITE_URL),http://$(HOST):$(PORT))
EMBEDDED = env -u DATABASE_URL -u REDIS_URL -u EMAIL_URL -u EMAIL_HOST SITE_URL=$(RUN_SITE_URL)
run: setup
	$(EMBEDDED) $(PY) manage.py migrate --noinput
	$(EMBEDDED) $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(EMBEDDED) $(PY) manage.py runserver $(HOST):$(PORT)

# Like run, but with whatever DATABASE_URL, REDIS_URL and EMAIL_URL the environment sets.
serve: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
		$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not faults" $(PYTEST_ARGS)

test-faults: setup
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
		$(PY) -m pytest -m faults $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

worker: setup
	$(VENV)/bin/celery -A wellbeing worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A wellbeing beat --loglevel=INFO

# Speed is measured, never asserted in tests: median and 95th percentile per busy page, then
# the email outbox end to end (it needs PostgreSQL and Redis, and says so when they are down).
bench: setup
	rm -f /tmp/wellbeing-bench.sqlite3
	$(PY) bench/run.py
	$(PY) bench/rota.py
	$(PY) bench/blog.py
	$(PY) bench/outbox.py

check-deploy: setup
	DEBUG=0 SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=care.example.org \
		SITE_URL=https://care.example.org REDIS_URL=redis://redis.internal:6379/0 \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles db.sqlite3
