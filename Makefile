# Two entry points: `make run` (install, ingest seeds/, write reports/) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: install run test test-fast lint docs golden clean

# The tests and tools want the dev extra (test runners, the PostgreSQL driver, Dask for the
# cluster tests); `make run` needs only the package itself, so it installs no extra.
# uv (from PyPI, into the venv itself, so Python 3.11 and make stay the only prerequisites)
# resolves and installs in parallel: a fresh install took 57 s against pip's 100 s and more.
# `make run`'s install compiles to bytecode (--compile-bytecode, and compileall for tracker's
# own modules, which the editable install leaves in place): uv, unlike pip, leaves packages
# uncompiled, and where PYTHONDONTWRITEBYTECODE is set (as in some shells) every run then
# compiles every module it imports again, 2.6 s of a one-post ingest's start-up on this
# machine kind. The dev install does not: it would compile all of the dev extra (Dask,
# pandas, matplotlib, ...; 40 s of CPU under load), and the test targets below let Python
# write the bytecode of what the tests import.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e .
	$(BIN)/python -m compileall -q tracker
	touch $(RUN_STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/tracker ingest seeds/
	$(BIN)/tracker report --by ticker --freq D --format csv --out reports/tickers-daily.csv
	$(BIN)/tracker report --by ticker --freq D --format md --out reports/tickers-daily.md
	$(BIN)/tracker report --by group --freq W --format csv --out reports/groups-weekly.csv
	$(BIN)/tracker report --by group --freq W --format md --out reports/groups-weekly.md
	$(BIN)/tracker export mentions --format csv --out reports/mentions.csv
	$(BIN)/tracker report --format md --span all --freq D --charts reports/charts --out reports/briefing.md

# One worker process per CPU core (pytest-xdist); a test file's tests share a worker, so
# its module fixtures are built once. The files go out in tests/conftest.py's order (those
# with slow tests first), not xdist's (more tests first), so that no long file is left to
# the end. Pass PYTEST_WORKERS=0 to run in this process alone.
# pytest keeps the modules it rewrites for its assertion messages (the tests, and plugins
# such as hypothesis, a hundred modules) as bytecode in __pycache__/, which git ignores;
# with PYTHONDONTWRITEBYTECODE set, as some shells have it, every worker of every run would
# rewrite and compile them all again: about 4 s of CPU per worker.
PYTEST_WORKERS ?= auto
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile \
	--no-loadscope-reorder

test: install
	$(PYTEST)

# The inner loop: every test but those marked slow (CONTRIBUTING.md).
test-fast: install
	$(PYTEST) -m "not slow"

lint: install
	$(BIN)/ruff check tracker tests scripts benchmarks
	$(BIN)/mypy tracker

# Rewrites docs/cli.md from the commands' --help; tests/cli/test_cli_docs.py checks it.
docs: install
	$(BIN)/python scripts/update_cli_docs.py

# Rewrites the golden report files (and the README sample in docs/sample/) from the current
# code; review the diff before committing.
golden: install
	TRACKER_REGEN_GOLDEN=1 $(BIN)/python -m pytest -q tests/cli/test_cli.py tests/reports/test_reports.py
	$(BIN)/python scripts/update_readme_sample.py

clean:
	rm -rf $(VENV) tracker.db
