# credit-tui — every target creates .venv and installs the pinned project first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run demo test lint format bench stress mutate clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# Bytecode for the editable checkout, as pip writes it for an installed wheel (a start then
# never compiles the sources, even with PYTHONDONTWRITEBYTECODE set); only changed files.
COMPILE := $(BIN)/python -m compileall -q credit_tui

run: $(STAMP)  ## open the app on db/credit.db
	@$(COMPILE)
	$(BIN)/credit-tui

demo: $(STAMP)  ## open the app on a fresh demo store
	@$(COMPILE)
	$(BIN)/credit-tui demo

test: $(STAMP)  ## lint, import contracts, then every test
	$(BIN)/ruff check credit_tui tests bench
	$(BIN)/ruff format --check credit_tui tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check credit_tui tests bench
	$(BIN)/ruff format --check credit_tui tests bench
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format credit_tui tests bench
	$(BIN)/ruff check --fix credit_tui tests bench

bench: $(STAMP)  ## performance ratios against same-run baselines (see README)
	@$(COMPILE)
	$(BIN)/python bench/score.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/export.py

stress: $(STAMP)  ## concurrent writers: writers × imports into one store, lost / crashed (see README)
	$(BIN)/python bench/stress.py 3 300
	$(BIN)/python bench/stress.py 6 100
	$(BIN)/python bench/stress.py 8 250

mutate: $(STAMP)  ## mutation probe of credit_tui/scoring against the fast scoring tests (see README)
	$(BIN)/python bench/mutate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

.PHONY: wheelhouse
wheelhouse: $(STAMP)  ## every wheel the app needs, for an install with no network (see README)
	rm -rf wheelhouse
	$(BIN)/python -m pip freeze --exclude-editable > $(VENV)/wheelhouse-constraints.txt
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --wheel-dir wheelhouse \
		--constraint $(VENV)/wheelhouse-constraints.txt . 'setuptools>=77' wheel
	@ls wheelhouse
