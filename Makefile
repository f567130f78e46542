# The two commands of the README: `make serve` and `make test`. Everything else is a step they call.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve test test-sqlite test-postgres system-deps lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/buenaspracticas serve --host $(HOST) --port $(PORT)

system-deps:
	bash scripts/system-deps.sh

# Every test: the lint, the whole suite on SQLite (browser tests included), then the database tests on
# PostgreSQL.
test: $(STAMP) system-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# The browser tests run on their own: beside the rest, chromium and the live servers contend with the other
# worker for the two cores and the whole run took longer than the two runs one after the other.
test-sqlite: $(STAMP)
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not browser"
	$(PY) -m pytest -q -n 2 --dist loadfile -m browser

test-postgres: $(STAMP)
	DATABASE_URL="$$(bash scripts/postgres.sh)" $(PY) -m pytest -q -n 2 --dist loadfile -m "not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

bench: $(STAMP)
	bash scripts/system-deps.sh bench
	$(PY) benchmarks/ingest_speed.py
	$(PY) benchmarks/extractor_variants.py
	$(PY) benchmarks/search_latency.py
	$(PY) benchmarks/embed_speed.py --practices 1000 --passages 128
	$(PY) benchmarks/scale.py --sizes $${SCALE_SIZES:-1000,10000,100000} --engines sqlite,postgresql
	$(PY) benchmarks/search_scale.py --sizes $${SCALE_SIZES:-1000,10000,100000} --engines sqlite,postgresql
	$(PY) benchmarks/load.py --practices $${LOAD_PRACTICES:-10000} --clients 100 --duration 60

clean:
	rm -rf $(VENV) var
