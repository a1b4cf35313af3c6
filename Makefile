# Quick start: `make run` (try-it page on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: setup run test bench accuracy robust clean

setup: $(VENV)/.installed

# Python >= 3.11 is required (3.10 fails deep inside pip); say so before anything is installed.
$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "This bot needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Install python3.11 (or newer) and run: make setup PYTHON=python3.11"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Python's venv module is missing. On Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	@# Thai shaping for the rich menu image (Pillow's libraqm loads libfribidi); best effort, as root on Debian.
	@ldconfig -p 2>/dev/null | grep -q libfribidi || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get install -y -q -o DPkg::Lock::Timeout=300 libfribidi0 >/dev/null 2>&1; } || \
	  echo "note: libfribidi0 not installed; 'python -m bot richmenu' will say so"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Test tools come on top of production's requirements, never into them.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

# SQLite under instance/, no LINE account needed: the try-it page is at /.
run: setup
	$(BIN)/gunicorn webhook:app --bind 127.0.0.1:$(PORT) --workers 2

# Two pytest workers (pytest-xdist); --dist loadfile keeps each test file whole on one worker, so the
# messy-set scoring in test_accuracy.py runs once, beside the server tests (they mostly wait on
# gunicorn, PostgreSQL and Chromium).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Throughput and latency under load against a bare SDK echo bot, alternately (tests/bench/run.py).
# BENCH_ARGS="--rounds 3 --seconds 15"; BENCH_DATABASE_URL=postgresql://... for PostgreSQL.
bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# The acceptance harness in ../shared/eval (a floor, not the target).
accuracy: setup
	$(BIN)/python ../shared/eval/linesim.py accuracy -v

robust: setup
	$(BIN)/python ../shared/eval/linesim.py robust

clean:
	rm -rf $(VENV) instance .pytest_cache
