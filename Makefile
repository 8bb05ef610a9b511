# The course's commands. `make lab` and `make test` are the README's quick start; both set up
# .venv on first use (python3 -m venv, then pip install -e ".[test]"), and again only when
# pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told it may (containers, Binder-like machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lint format lab test test-floors data bench setup fonts clean student slides demo book grade translations hub hub-env test-hub

setup: fonts $(STAMP)

fonts:
	@scripts/ensure-cjk-font

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# lab/ holds the course's Jupyter settings; it joins the config search path, so a user's own
# settings (~/.jupyter) still win.
LAB_CONFIG := JUPYTER_CONFIG_PATH="$(CURDIR)/lab$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))"

# The root is the repository, so that every link of the course map (case studies, datasets)
# opens; the course map is the page it starts on. `make lab LANG=zh` starts on the Chinese
# edition's course map (zh/notebooks/course_map.ipynb). LANG is also the shell's locale, so only
# the value zh picks the edition, and the server then gets a real locale (C.UTF-8) instead.
EDITION := $(if $(filter zh,$(LANG)),zh/,)
# The same choice for the build scripts' --lang (student, slides, demo): zh or en.
EDITION_LANG := $(if $(EDITION),zh,en)
lab: setup
	$(LAB_CONFIG) $(if $(EDITION),LANG=C.UTF-8 )$(BIN)/jupyter lab $(EDITION)notebooks/course_map.ipynb \
	  --ServerApp.root_dir="$(CURDIR)" --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) $(LAB_ARGS)

# The whole suite runs offline: ci/offline/sitecustomize.py lets Python processes (pytest and every
# notebook kernel) connect only to this machine.
# Browser tests (tests/test_browser.py) drive /usr/bin/chromium; without it they are skipped.
# Two workers (pytest-xdist) share the files: each test file, and each notebook with all its cells,
# runs whole on one worker (--dist loadscope), so a notebook's cells stay in order. PYTEST_JOBS=
# (empty) runs everything in one process.
PYTEST_JOBS ?= -n 2 --dist loadscope
test: setup lint
	@test -x /usr/bin/chromium || echo "make test: /usr/bin/chromium not found, so the browser tests will be SKIPPED (install it with: apt-get install chromium)"
	PYTHONPATH=$(CURDIR)/ci/offline CRMLIB_OFFLINE=1 $(BIN)/python -m pytest $(PYTEST_JOBS) $(PYTEST_ARGS)

# The Chinese edition (scripts/translate.py): list the missing and stale translations of the
# notebooks and exercise sets in translations/zh/scope.txt, and a zh/ notebook that is not a
# fresh build; exit 1 if any. (tests/test_translate.py runs the same check inside `make test`.)
translations: $(STAMP)
	$(BIN)/python scripts/translate.py check

# Lint and format check (rules in pyproject.toml); `make format` rewrites the files ruff would change.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The unit tests again in a second environment holding the lowest versions pyproject allows
# (not the tests of the build scripts, servers and browser, which need the main environment).
FLOORS := .venv-floors
test-floors: $(FLOORS)/.installed
	$(FLOORS)/bin/python -m pytest -p no:nbval -o addopts="--doctest-modules -p no:cacheprovider" \
	  tests crmlib -q $(foreach t,lab student student_zh slides book browser demos grade notebook_metadata tracks translate glossary hub hub_prepare start_here exercise_translations sentences intervals_shown,--ignore=tests/test_$(t).py) \
	  --ignore=tests/grade_class.py

$(FLOORS)/.installed: ci/floors.txt pyproject.toml
	$(PYTHON) -m venv $(FLOORS)
	$(FLOORS)/bin/python -m pip install --quiet -r ci/floors.txt "pytest>=8.0" "hypothesis>=6.100"
	$(FLOORS)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

# `make student LANG=zh` (TRACK=core too): the Chinese edition in build/student-zh (student-core-zh),
# English where a notebook is not translated yet.
student: $(STAMP)
	$(BIN)/python scripts/make_student.py $(if $(TRACK),--track $(TRACK)) --lang $(EDITION_LANG)

# Grade a class: SUBMISSIONS holds one folder per student (named by student id) with their notebooks;
# GRADES gets grades.csv and feedback/ (scripts/grade.py; README "Grading a class").
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" -a -n "$(GRADES)" || { echo "usage: make grade SUBMISSIONS=<folder> GRADES=<folder> [GRADE_ARGS='--time-limit 300 --jobs 2']"; exit 2; }
	$(BIN)/python scripts/grade.py "$(SUBMISSIONS)" "$(GRADES)" $(GRADE_ARGS)

# `make slides LANG=zh`: the Chinese decks in build/slides-zh (a deck of a notebook not translated
# yet is the English one), charts labelled in Chinese (fonts: a CJK font).
slides: fonts $(STAMP)
	$(BIN)/python scripts/add_slide_metadata.py --check notebooks $(if $(EDITION),zh/notebooks)
	PYTHONPATH=$(CURDIR)/ci/offline CRMLIB_OFFLINE=1 $(BIN)/python scripts/make_slides.py --execute \
	  --lang $(EDITION_LANG) $(or $(SLIDES_ARGS),notebooks/0*_*)

# Class demos: the dashboards in notebooks/demos/ served by Voila (code hidden, widgets live).
# Voila serves the whole course, so a demo's link back to its chapter opens that chapter.
# `make demo LANG=zh`: the Chinese demos (zh/notebooks/demos/, each linking to its Chinese chapter);
# the list printed first names the English demo where a demo is not translated yet.
DEMO_PORT ?= 8866
demo: setup
	@echo "Class demos: http://127.0.0.1:$(DEMO_PORT)/voila/tree/$(EDITION)notebooks/demos (Ctrl-C to stop)"
	@$(if $(EDITION),$(BIN)/python scripts/editions.py --lang zh --demos --port $(DEMO_PORT))
	$(if $(EDITION),LANG=C.UTF-8 )$(BIN)/voila . --Voila.ip=127.0.0.1 --port=$(DEMO_PORT) --no-browser $(DEMO_ARGS)

# The course website (Jupyter Book 1.x): executes every notebook offline and fails on any cell error.
# One site in both languages: the Chinese pages (zh/, README.zh.md) follow the English ones, and
# every page links its counterpart (scripts/make_book.py).
BOOK_STAMP := $(VENV)/.book-installed
$(BOOK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,book]"
	touch $@

book: fonts $(BOOK_STAMP)
	PYTHONPATH=$(CURDIR)/ci/offline CRMLIB_OFFLINE=1 $(BIN)/python scripts/make_book.py $(BOOK_ARGS)

# A JupyterHub for a class (README "Running a class on JupyterHub"; hub/jupyterhub_config.py).
# Two environments beside .venv, both from the system Python so that every student's user can run
# theirs: .venv-hub (JupyterHub, its login, the idle culler, configurable-http-proxy from npm in
# .venv-hub/node_modules) and .venv-hub-user (the students' servers: crmlib WITHOUT
# crmlib/exercise_sets, nbgitpuller). `make hub` runs as root: it creates a system user per student.
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV   := .venv-hub
HUB_USER   := .venv-hub-user
HUB_STATE  ?= hub/state
HUB_COURSE ?= hub/course/crm-course
CHP_VERSION := ^4.6.2
HUB_SOURCES := pyproject.toml hub/prepare.py hub/requirements-user.txt $(shell find crmlib lab -type f -not -path '*/__pycache__/*')

$(HUB_VENV)/.installed: hub/requirements.txt
	$(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -r hub/requirements.txt
	npm install --prefix $(HUB_VENV) --no-audit --no-fund --no-save --no-package-lock "configurable-http-proxy@$(CHP_VERSION)"
	touch $@

$(HUB_USER)/.installed: $(HUB_SOURCES) $(STAMP)
	test -x $(HUB_USER)/bin/python || $(HUB_PYTHON) -m venv $(HUB_USER)
	$(HUB_USER)/bin/python -m pip install --quiet --upgrade pip
	$(BIN)/python hub/prepare.py wheel build/hub/wheel
	$(HUB_USER)/bin/python -m pip uninstall --quiet --yes crmlib
	$(HUB_USER)/bin/python -m pip install --quiet -r hub/requirements-user.txt build/hub/wheel/crmlib-*.whl
	$(BIN)/python hub/prepare.py user-env $(HUB_USER)
	touch $@

hub-env: $(HUB_VENV)/.installed $(HUB_USER)/.installed

hub: hub-env student
	@test "$$(id -u)" = 0 || { echo "make hub runs as root: it creates a system user for each student"; exit 2; }
	@runuser -u nobody -- test -x "$(CURDIR)/$(HUB_USER)/bin/python" || { echo "the students cannot reach $(CURDIR): put the course in a folder every user can read (e.g. /srv)"; exit 2; }
	$(BIN)/python hub/prepare.py course build/student $(HUB_COURSE)
	CRM_HUB_STATE="$(HUB_STATE)" CRM_HUB_COURSE="$(HUB_COURSE)" $(HUB_VENV)/bin/jupyterhub -f hub/jupyterhub_config.py $(HUB_ARGS)

# The hub's load and isolation tests (marker `hub`, left out of `make test`): 30 students, as root.
test-hub: setup hub-env
	PYTHONPATH=$(CURDIR)/ci/offline CRMLIB_OFFLINE=1 $(BIN)/python -m pytest -m hub tests/test_hub.py $(PYTEST_ARGS)

data: $(STAMP)
	$(BIN)/python -m crmlib.datasets generate --shipped

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build _build .pytest_cache
