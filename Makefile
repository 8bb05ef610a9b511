# The course's commands. `make lab` and `make test` are the README's quick start; both set up
# .venv on first use (python3 -m venv, then pip install -e ".[test]"), and again only when
# pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told it may (containers, Binder-like machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test data bench setup fonts clean

setup: fonts $(STAMP)

fonts:
	@scripts/ensure-cjk-font

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab notebooks/course_map.ipynb --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) $(LAB_ARGS)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

data: $(STAMP)
	$(BIN)/python -m crmlib.datasets generate

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build _build .pytest_cache
