# One command to build, one to test. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))

# Strict build: a Sphinx warning, a broken reference or (with the keys in
# _config.yml) a failing cell makes `jupyter-book build` exit non-zero.
# tools/build_state.py adds --all (re-render every page) when the configuration,
# an extension, a template or the execution cache changed since the last build.
JB_FLAGS := -W -n --keep-going

# What the website is built from: `make book` does nothing when none changed.
BOOK_SOURCES := $(NOTEBOOKS) $(wildcard *.md *.ipynb) references.bib _config.yml _toc.yml \
  $(wildcard _ext/*.py _ext/templates/* _static/* _extra/* _latex/* code/actlab/*.py chapters/data/*) \
  requirements.txt code/pyproject.toml tools/build_state.py \
  $(wildcard _build/pdf/*.pdf _build/pdf/*/*.pdf _build/class/*.zip)
HTML_STAMP := _build/html/.build-inputs

# The Japanese edition (tools/build_ja.py): the same sources and execution cache,
# the prose from the catalogs locales/ja/LC_MESSAGES/<page>.po.
PO_FILES := $(shell find locales -name '*.po' 2>/dev/null)
BOOK_JA_SOURCES := $(filter-out _build/%,$(BOOK_SOURCES)) $(PO_FILES) locales/ja/book.yml \
  tools/build_ja.py $(wildcard _build/pdf-ja/*.pdf _build/pdf-ja/*/*.pdf _build/class-ja/*.zip)
HTML_JA_STAMP := _build/ja/_build/html/.build-inputs

# nbval: both cores, each notebook kept in one worker (its cells share a kernel).
NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env -p no:randomly -n 2 --dist loadfile -q \
  chapters reference_card.ipynb

# Single-threaded BLAS, so stored notebook outputs compare exactly from run to
# run (figures are made reproducible by actlab.use_house_style).
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Slider cells (actlab.widgets) draw one static figure at their defaults: the
# website, the PDFs and the stored outputs show it; a student's notebook gets sliders.
export ACTLAB_STATIC := 1

.PHONY: help venv book book-ja gettext site-ja class class-ja pdf-ja lab-test test lint unit nbval portability pdf pdf-test site outputs bench clean print-jb-flags

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# (Re)create the virtual environment when requirements change. JupyterLab in it
# gets the project's settings (jupyter/overrides.json: no news pop-up).
$(STAMP): requirements.txt requirements-class.txt code/pyproject.toml jupyter/overrides.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

venv: $(STAMP)  ## create .venv from requirements.txt (done by every target)

book: $(HTML_STAMP)  ## build the website into _build/html (notebooks execute once, into the cache)

$(HTML_STAMP): $(STAMP) $(BOOK_SOURCES)
	flags="$$($(BIN)/python tools/build_state.py prepare _build/html)"; \
	  $(BIN)/jupyter-book build . $(JB_FLAGS) $$flags
	$(BIN)/python tools/build_state.py record _build/html

# Japanese: built in _build/ja/, linked as _build/html-ja and as _build/html/ja (where
# the published site has it, so the language switch works from file:// too).
book-ja: $(HTML_JA_STAMP)  ## the Japanese website in _build/html-ja (read it as _build/html/ja/), from locales/ja
	@$(BIN)/python tools/build_ja.py link

$(HTML_JA_STAMP): $(STAMP) $(BOOK_JA_SOURCES)
	$(BIN)/python tools/build_ja.py html $(JB_FLAGS)

gettext: $(STAMP)  ## refresh locales/ja/LC_MESSAGES/*.po from the sources (keeps translations; new: empty, changed: fuzzy)
	$(BIN)/python tools/build_ja.py gettext

class: $(STAMP)  ## class notebooks (plain Jupyter, any viewer): _build/class/ and the committed notebooks/
	$(BIN)/python tools/make_class.py

class-ja: $(STAMP)  ## the Japanese class notebooks (student, teacher) in _build/class-ja/, from locales/ja
	$(BIN)/python tools/make_class.py --language ja

lint: $(STAMP)  ## ruff over code/, tests/, tools/, _ext/ and the notebooks; actionlint over workflows
	$(BIN)/ruff check code tests chapters reference_card.ipynb tools _ext conftest.py
	$(BIN)/actionlint .github/workflows/*.yml

unit: $(STAMP)  ## unit tests of actlab and the build-is-strict test
	$(BIN)/python -m pytest tests --ignore=tests/site --ignore=tests/pdf

nbval: $(STAMP)  ## re-run every notebook and compare with its stored outputs
	env -u OPENBLAS_CORETYPE $(NBVAL)

# The stored outputs must not depend on the machine. Re-run nbval with NumPy's
# SIMD loops limited to the baseline (what a CPU without AVX2 runs), with another
# OpenBLAS kernel, and with multi-threaded BLAS (`make nbval` runs the default).
NPY_FEATURES = $(shell $(BIN)/python -c 'from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f; print(" ".join(x for x in d if f[x]))')
# OpenBLAS's oldest kernel of this CPU family (not the one it would pick).
OTHER_KERNEL := $(if $(filter aarch64 arm64,$(shell uname -m)),ARMV8,Prescott)
portability: $(STAMP)  ## nbval again under other CPU features, BLAS kernels and thread counts
	@echo "nbval with NPY_DISABLE_CPU_FEATURES=\"$(NPY_FEATURES)\""
	env -u OPENBLAS_CORETYPE NPY_DISABLE_CPU_FEATURES="$(NPY_FEATURES)" $(NBVAL)
	@echo "nbval with OPENBLAS_CORETYPE=$(OTHER_KERNEL)"
	OPENBLAS_CORETYPE=$(OTHER_KERNEL) $(NBVAL)
	@echo "nbval with OPENBLAS_NUM_THREADS=2"
	env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 $(NBVAL)

PAPER ?= a4
pdf: $(STAMP)  ## handouts, answer keys and the book in _build/pdf/ (needs TeX Live; PAPER=letter for US Letter)
	$(BIN)/python tools/build_pdf.py --paper $(PAPER)

pdf-ja: $(STAMP)  ## the Japanese handouts, answer keys, book and card in _build/pdf-ja/ (xeCJK, Noto CJK JP fonts)
	$(BIN)/python tools/build_pdf.py --language ja --paper $(PAPER)

# Both editions: tests/pdf/test_pdf.py (English) and tests/pdf/test_pdf_ja.py (Japanese).
pdf-test: $(STAMP)  ## build the PDFs of both editions and check them (skips without TeX Live unless CI=true)
	$(BIN)/python -m pytest tests/pdf

site: $(STAMP)  ## test the built website in headless Chromium, and the notebooks in JupyterLab
	$(BIN)/python -m pytest tests/site

site-ja: $(STAMP)  ## test the Japanese website: the same checks, the language switch both ways, glued numbers
	BOOK_LANGUAGE=ja $(BIN)/python -m pytest tests/site --ignore=tests/site/test_jupyterlab.py

lab-test: $(STAMP)  ## only the JupyterLab tests: run notebooks, move a slider, save unchanged
	$(BIN)/python -m pytest tests/site/test_jupyterlab.py

# pdf-test runs before book, so the website offers the PDFs it has just checked.
test: lint unit nbval portability pdf-test book book-ja site site-ja  ## every test: lint, unit, nbval (+ portability), PDFs, both books, both sites

outputs: $(STAMP)  ## re-execute the notebooks in place to refresh stored outputs
	$(BIN)/python tools/refresh_outputs.py $(NOTEBOOKS)

bench: $(STAMP)  ## speed: actlab vs NumPy, notebook times, build steps vs their floor, page weights
	$(BIN)/python tools/bench.py
	@test -f _build/html/intro.html || $(MAKE) --no-print-directory book
	$(BIN)/python tools/site_weight.py _build/html

clean:  ## remove the build and caches (keeps .venv)
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

print-jb-flags:
	@echo $(JB_FLAGS)
