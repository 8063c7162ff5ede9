# Two commands: `make demo` (SQLite, tasks in-process, demo data, serves on 127.0.0.1:8000)
# and `make test` (the whole suite on PostgreSQL and Redis).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# The test suite runs on PostgreSQL and Redis; override on the command line to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/oms
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?= -n 2

.PHONY: venv install migrate seed demo serve test fuzz worker beat bench lint clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

demo: migrate
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

serve: migrate
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	bin/services-up
	bin/browser-up
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

# Schemathesis over every API operation with more generated requests than the test suite's run.
fuzz: install
	bin/services-up
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
		OMS_FUZZ_EXAMPLES=$${OMS_FUZZ_EXAMPLES:-100} $(VENV)/bin/pytest -p no:cacheprovider tests/api/test_fuzz.py

worker: install
	$(VENV)/bin/celery -A oms worker --loglevel=INFO -Q default,orders,payments,notifications,inventory,carriers,webhooks

beat: install
	$(VENV)/bin/celery -A oms beat --loglevel=INFO

# Short runs (about 5 minutes): placement against a one-row insert, then placed → confirmed through real
# Celery workers. The long runs, and the dashboard at 1,000,000 orders, are in README "Benchmarks".
bench: install
	bin/services-up
	$(PY) bench/placement.py -d 10
	$(PY) bench/pipeline.py --step-seconds 10 --refine 1
	@echo "longer: $(PY) bench/placement.py -d 60 | bench/pipeline.py --step-seconds 30 | bench/dashboard.py --orders 1000000"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles test-output
