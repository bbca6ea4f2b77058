# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app tracker
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint migrations-check test-sqlite test-postgres clean i18n i18n-extract i18n-update i18n-compile

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
	TRACKER_ENV=development $(BIN)/python -m devtools seed-demo
	@echo ""
	@echo "  tracker: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "  Sign in as admin, bithu (leader), vanthu (secretary) or tp.tthcc (unit head),"
	@echo "  or for the province tinh.vanphong (secretary), tinh.lanhdao (leader), tinh.quantri (admin),"
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
	$(BIN)/ruff check tracker devtools tests tools benchmarks wsgi.py

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

## Translations (see README, "Translations"): extract the msgids, merge them into the vi and en
## catalogues, then translate the new vi entries by hand and compile. The .mo files are committed.
PYBABEL  := $(BIN)/pybabel
I18N_DIR := tracker/translations

i18n-extract: $(VENV)/.installed
	$(PYBABEL) -q extract -F babel.cfg -k _l -k lazy_gettext --sort-output --add-location=file \
	  --project=tracker --no-wrap --ignore-dirs=".*" -o $(I18N_DIR)/messages.pot .

i18n-update: i18n-extract
	$(PYBABEL) -q update -i $(I18N_DIR)/messages.pot -d $(I18N_DIR) --no-fuzzy-matching \
	  --ignore-obsolete --no-wrap
	$(BIN)/python tools/i18n_fill_en.py

i18n-compile: $(VENV)/.installed
	$(PYBABEL) compile --statistics -d $(I18N_DIR)

i18n: i18n-update i18n-compile

clean:
	rm -rf $(VENV) instance/test.db instance/migrations-check.db .pytest_cache
