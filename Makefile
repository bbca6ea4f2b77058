# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app tracker
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint migrations-check test-sqlite test-postgres clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## make run: install, migrate and seed the SQLite database under instance/, serve on 127.0.0.1:5000
## beside the scheduler process; Ctrl-C stops both
run: $(VENV)/.installed
	mkdir -p instance
	TRACKER_ENV=development $(FLASK) db upgrade
	TRACKER_ENV=development $(FLASK) seed
	TRACKER_ENV=development $(FLASK) seed-demo
	@echo ""
	@echo "  tracker: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "  Sign in as admin, bithu (leader), vanthu (secretary) or tp.tthcc (unit head),"
	@echo "  password: $${TRACKER_DEMO_PASSWORD:-demo-ngokbay}"
	@echo "  The plan as it stood in the week 27/10-03/11/2025: http://$(HOST):$(PORT)/?as_of=2025-11-03"
	@echo "  The scheduler (reminders, snapshots, weekly drafts, e-mail) runs beside it."
	@echo ""
	TRACKER_ENV=development $(FLASK) scheduler & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT INT TERM; \
	TRACKER_ENV=development $(FLASK) run --host $(HOST) --port $(PORT)

## make test: lint, check migrations, run the suite on SQLite, then on PostgreSQL when reachable
test: $(VENV)/.installed lint migrations-check test-sqlite test-postgres

lint: $(VENV)/.installed
	$(BIN)/ruff check tracker tests tools benchmarks wsgi.py

migrations-check: $(VENV)/.installed
	mkdir -p instance
	rm -f instance/migrations-check.db
	TRACKER_ENV=test TEST_DATABASE_URL=sqlite:///$(CURDIR)/instance/migrations-check.db $(FLASK) db upgrade
	TRACKER_ENV=test TEST_DATABASE_URL=sqlite:///$(CURDIR)/instance/migrations-check.db $(FLASK) db check

test-sqlite: $(VENV)/.installed
	@echo "== test suite on SQLite =="
	$(BIN)/pytest -q

test-postgres: $(VENV)/.installed
	@url=$$($(BIN)/python tools/pgtest.py) || { \
	  echo "SKIPPED: PostgreSQL pass (no server reachable; set PG_ADMIN_URL or start PostgreSQL)"; exit 0; }; \
	echo "== migrations and test suite on PostgreSQL ($$url) =="; \
	TRACKER_ENV=test TEST_DATABASE_URL=$$url $(FLASK) db upgrade && \
	TRACKER_ENV=test TEST_DATABASE_URL=$$url $(FLASK) db check && \
	TEST_DATABASE_URL=$$url $(BIN)/pytest -q

clean:
	rm -rf $(VENV) instance/test.db instance/migrations-check.db .pytest_cache
