# One command to build, one to test. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))

# --all: re-render every page (an edited extension or template leaves no stale page).
# Strict build: a Sphinx warning, a broken reference or (with the keys in
# _config.yml) a failing cell makes `jupyter-book build` exit non-zero.
JB_FLAGS := -W -n --keep-going --all

# Single-threaded BLAS, so stored notebook outputs compare exactly from run to
# run (figures are made reproducible by actlab.use_house_style).
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv book test lint unit nbval pdf pdf-test site outputs bench clean print-jb-flags

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# (Re)create the virtual environment when requirements change.
$(STAMP): requirements.txt code/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(STAMP)  ## create .venv from requirements.txt (done by every target)

book: $(STAMP)  ## build the website into _build/html, executing every notebook
	$(BIN)/jupyter-book build . $(JB_FLAGS)

lint: $(STAMP)  ## ruff over code/, tests/, tools/, _ext/ and the notebooks; actionlint over workflows
	$(BIN)/ruff check code tests chapters tools _ext
	$(BIN)/actionlint .github/workflows/*.yml

unit: $(STAMP)  ## unit tests of actlab and the build-is-strict test
	$(BIN)/python -m pytest tests --ignore=tests/site --ignore=tests/pdf

nbval: $(STAMP)  ## re-run every notebook and compare with its stored outputs
	$(BIN)/python -m pytest --nbval --nbval-current-env -p no:randomly chapters

pdf: $(STAMP)  ## the PDF book and one handout per chapter, in _build/pdf/ (needs TeX Live)
	$(BIN)/python tools/build_pdf.py

pdf-test: $(STAMP)  ## build the PDFs and check them (skips without TeX Live unless CI=true)
	$(BIN)/python -m pytest tests/pdf

site: $(STAMP)  ## test the built website: links, and every page in headless Chromium
	$(BIN)/python -m pytest tests/site

# pdf-test runs before book, so the website offers the PDFs it has just checked.
test: lint unit nbval pdf-test book site  ## every test: lint, unit, nbval, PDFs, the book build, the site

outputs: $(STAMP)  ## re-execute the notebooks in place to refresh stored outputs
	$(BIN)/python tools/refresh_outputs.py $(NOTEBOOKS)

bench: $(STAMP)  ## print notebook execution times, the book build time and page weights
	$(BIN)/python tools/bench.py --book
	@test -f _build/html/intro.html || $(MAKE) --no-print-directory book
	$(BIN)/python tools/site_weight.py _build/html

clean:  ## remove the build and caches (keeps .venv)
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

print-jb-flags:
	@echo $(JB_FLAGS)
