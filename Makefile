# Quick start: `make run` (try-it page on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: setup run test accuracy robust clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# SQLite under instance/, no LINE account needed: the try-it page is at /.
run: setup
	$(BIN)/gunicorn webhook:app --bind 127.0.0.1:$(PORT) --workers 2

test: setup
	$(BIN)/python -m pytest

# The acceptance harness in ../shared/eval (a floor, not the target).
accuracy: setup
	$(BIN)/python ../shared/eval/linesim.py accuracy -v

robust: setup
	$(BIN)/python ../shared/eval/linesim.py robust

clean:
	rm -rf $(VENV) instance .pytest_cache
