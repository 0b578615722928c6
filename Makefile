# geomap: the two commands are `make run` and `make test`. Both set everything up.
# `make test` is the whole suite (CI runs it); `make test-fast` is the quick tier for
# working: lint, then the tests not marked browser, build or slow (pyproject.toml).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
LINT_DIRS := $(wildcard geomap tests tools bench)

.PHONY: setup test-setup run test test-fast test-js lint validate bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the requirement files or pyproject change.
$(VENV)/.installed: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

setup: $(VENV)/.installed

# Debian's Chromium drives the browser tests (never `playwright install`);
# poppler-utils' pdftoppm renders the PDF exports in the tests, and tesseract-ocr
# (with its Arabic model, tesseract-ocr-ara) reads their text back.
test-setup: $(VENV)/.test-installed
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	tesseract --list-langs 2>/dev/null | grep -qx ara || missing="$$missing tesseract-ocr-ara"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages for the tests:$$missing"; \
		apt-get update && apt-get install -y $$missing; \
	fi

run: setup
	$(BIN)/geomap serve --port $(PORT)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/ruff format --check $(LINT_DIRS)
	$(BIN)/mypy

validate: setup
	$(BIN)/geomap validate

# The map script's unit tests: node's own test runner on its ES modules (no browser,
# no npm). The flag lets node 20 before 20.19 read the modules' .js files as ES modules.
test-js:
	node --experimental-detect-module --test tests/js/

# Every test, whatever its marks: the browser tests, the layer rebuild, the slow ones.
test: test-setup lint test-js
	$(BIN)/python -m pytest -q

# Under 2 minutes on 2 cores: no Streamlit or Chromium, no layer rebuild, nothing slow
# (a smaller test covers each slow one's code path). Lint stays in: about a second
# with mypy's cache warm (half a minute cold).
FAST := not browser and not build and not slow
test-fast: test-setup lint test-js
	$(BIN)/python -m pytest -q -m "$(FAST)"

bench: test-setup
	$(BIN)/python bench/bench_app.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_cold.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
