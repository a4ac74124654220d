# Työuramentorointi — the two commands of the README are `make serve` and `make test`.
# Every target sets up what it needs itself (venv, pinned packages, Debian packages), idempotently.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
# the one command line (tyouramentorointi/cli.py): python -m tyouramentorointi --help
CLI      := $(BIN)/python -m tyouramentorointi
SITE_DIR ?= site
# pytest-xdist workers: one per core (the machines have 2)
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
export NO_MKDOCS_2_WARNING := 1
# The package's bytecode, written once before the tests: with PYTHONDONTWRITEBYTECODE set (some machines and
# containers set it) every build and command the tests start would compile the package again (~0.13 s each,
# over a hundred processes a run). compileall writes only what changed; __pycache__/ is ignored by git.
PYCACHE  := $(BIN)/python -m compileall -q tyouramentorointi hooks >/dev/null
# Debian packages. The build makes the worksheet PDFs (WeasyPrint needs Pango and the fonts);
# the tests need the browser and the spelling dictionaries too.
BUILD_APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core
# openjdk runs the Nu HTML checker (npm vnu-jar).
APT_PACKAGES := $(BUILD_APT_PACKAGES) chromium voikko-fi libvoikko1 python3-libvoikko hunspell hunspell-sv \
                openjdk-17-jre-headless
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup setup-test system-deps serve build test test-fast lint pdf check-links \
        check-links-external link-status translation-status urls dist bench-tests clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 24

$(BIN)/.build-stamp: requirements.txt pyproject.toml
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES="$(BUILD_APT_PACKAGES)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(BIN)/.test-stamp: requirements.txt requirements-test.txt $(BIN)/.build-stamp
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(BIN)/.build-stamp ## create .venv with the pinned build packages

setup-test: $(BIN)/.test-stamp system-deps node_modules/.stamp ## everything the tests need

system-deps: ## install Debian packages the tests need, when missing
	@if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then \
	  echo "This machine has no Debian apt. Install these Debian packages (or your system's equivalents)," \
	       "then run make again with APT_PACKAGES= (empty):$(foreach p,$(APT_PACKAGES), $(p))"; exit 1; \
	fi; \
	missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

serve: setup ## set up, then serve the site with live reload on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: setup ## strict build into site/
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

# The tests' own build has no repository address (REPO_URL empty), whatever the clone's git remote is, so
# the feedback link is in the same state everywhere (tests/test_feedback.py).
test: setup-test ## set up, build once, run every check
	$(BIN)/ruff check hooks tyouramentorointi tests
	$(BIN)/ruff format --check hooks tyouramentorointi tests
	$(BIN)/mypy
	node_modules/.bin/eslint docs/assets/javascripts
	$(PYCACHE)
	$(CLI) check safe --format $(if $(GITHUB_ACTIONS),github,text)
	REPO_URL= $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)
	$(CLI) check links $(SITE_DIR) --format $(if $(GITHUB_ACTIONS),github,text)
	SITE_DIR=$(SITE_DIR) PREBUILD_VARIANTS=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

test-fast: setup-test ## for editors: every check without a browser (lint, build, links, content, data)
	$(BIN)/ruff check hooks tyouramentorointi tests
	$(BIN)/ruff format --check hooks tyouramentorointi tests
	$(BIN)/mypy
	node_modules/.bin/eslint docs/assets/javascripts
	$(PYCACHE)
	$(CLI) check safe --format $(if $(GITHUB_ACTIONS),github,text)
	REPO_URL= $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)
	$(CLI) check links $(SITE_DIR) --format $(if $(GITHUB_ACTIONS),github,text)
	SITE_DIR=$(SITE_DIR) PREBUILD_VARIANTS=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not browser"

bench-tests: setup-test ## wall time of the test suite (python -m tyouramentorointi bench tests --help: two commits)
	$(CLI) bench tests

lint: setup-test ## ruff, mypy (the package; strict on its core), ESLint (docs/assets/javascripts)
	$(BIN)/ruff check hooks tyouramentorointi tests && $(BIN)/ruff format --check hooks tyouramentorointi tests
	$(BIN)/mypy
	node_modules/.bin/eslint docs/assets/javascripts

pdf: setup ## PDF of every worksheet and a pack per language into site/pdf/ (builds the site first if there is none)
	@test -f $(SITE_DIR)/index.html || $(MAKE) --no-print-directory build
	$(CLI) pdf $(SITE_DIR)

check-links: build ## internal link check of a fresh build
	$(CLI) check links $(SITE_DIR)

check-links-external: build ## external links too, with the cache
	$(CLI) check links $(SITE_DIR) --external --cache .cache/links.json

link-status: setup ## check the directory's addresses on the internet into data/link-status.json (cards show failures)
	$(CLI) link-status

translation-status: setup ## per page and language: up to date, behind or missing
	$(CLI) translations

urls: build ## add new page addresses to the committed list data/urls.txt
	$(CLI) check urls $(SITE_DIR) --write

dist: build pdf ## zip of the built site for self-hosting
	$(CLI) dist $(SITE_DIR)

clean: ## remove build output (keeps .venv)
	rm -rf $(SITE_DIR) dist .pytest_cache .cache
