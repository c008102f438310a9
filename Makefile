# The pipeline as file targets: each output lists the data, schemas, code and text it
# is made from, so Make rebuilds exactly what a change affects and nothing else.
# `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ENV_STAMP := $(VENV)/.installed
UKREPORT := $(BIN)/ukreport
PYTEST_ARGS ?=
# Test workers: one per core (pytest-xdist); JOBS=0 runs the tests in this process.
JOBS ?= auto

TABLES := events initiatives cooperation claims
RAW := $(foreach t,$(TABLES),data/raw/$(t).csv)
PROCESSED_DIR := data/processed
FIGURES_DIR := reports/figures
BUILD_DIR := reports/_build
ENGINE ?= embedded
# The build's steps: for each, <STEP>_CODE (the code it runs, the import closure of its
# entry modules), <STEP>_TARGETS (the files Make knows it by) and its rule, written by
# `make deps` from the one build graph, src/ukreport/pipeline/graph.py.
include deps.mk

# Whatever date appears in an output comes from here: the time of the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
export TZ := UTC
# Figures and report read the data this checkout just built, even from a shared venv.
export UKREPORT_DATA_DIR := $(CURDIR)/$(PROCESSED_DIR)
export LC_ALL := C.UTF-8

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.PHONY: help env lock deps validate data schemas figures record report docx preview test test-slow test-explore browser standards readers check drift diff schema-check verify bench clean distclean

## help: list the targets
help:
	@awk 'BEGIN {FS = ": "} /^## / {sub(/^## /, ""); printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

## env: create .venv from requirements.lock (exact versions, hashes checked)
env: $(ENV_STAMP)

$(ENV_STAMP): pyproject.toml requirements.lock
	@rm -rf $(VENV)
	@start=$$(date +%s); \
	$(PYTHON) -m venv $(VENV) && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements.lock && \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . && \
	echo "installed .venv from requirements.lock ($$(( $$(date +%s) - start )) s)"
	@touch $@

## lock: re-resolve requirements.lock from pyproject.toml (all platforms, with hashes)
lock:
	@test -x $(BIN)/uv || { echo "make env first: uv comes with the dev tools" >&2; exit 2; }
	@$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --generate-hashes --quiet --output-file requirements.lock
	@echo "wrote requirements.lock"

## deps: regenerate deps.mk, the step rules and each step's code, from the build graph
deps: $(ENV_STAMP)
	@$(UKREPORT) deps --out deps.mk

## validate: check data/raw against the schemas (FORMAT=json|junit OUTPUT=file)
validate: $(ENV_STAMP)
	@$(UKREPORT) validate $(RAW) --format $(or $(FORMAT),text) $(if $(OUTPUT),--output $(OUTPUT))

# The data, figures, report and manifest rules run `ukreport build STEP --through GOAL`:
# one process that brings every step from STEP through the furthest one asked for
# (make data, figures or report) up to date, by the same rule as Make's and on the same
# graph, so pandas is imported once and the kernel starts while data and figures are
# made. The first stale target's recipe does the work; the later ones find their
# outputs current and return at once.
THROUGH := $(strip $(if $(filter report $(REPORT_TARGETS) $(MANIFEST_TARGETS),$(MAKECMDGOALS)),manifest,\
  $(if $(filter figures $(FIGURES_TARGETS),$(MAKECMDGOALS)),figures,\
  $(if $(filter record $(RECORD_TARGETS),$(MAKECMDGOALS)),record))))
BUILD = @$(UKREPORT) build $(1) $(if $(THROUGH),--through $(THROUGH)) --engine $(ENGINE)
# The steps' messages say how to change a choice in make's words (ENGINE=quarto), not
# the command's (--engine quarto); a step that cannot run at all (no Quarto) is left to
# its own rule, so that Make names its target, not that of the rule that ran first.
$(DATA_TARGETS) $(FIGURES_TARGETS) $(RECORD_TARGETS) $(REPORT_TARGETS) $(DOCX_TARGETS) \
  $(MANIFEST_TARGETS): export UKREPORT_CALLED_AS := make

## data: validate, then write the cleaned data package to data/processed/
data: $(DATA_TARGETS)

## schemas: export Frictionless Table Schemas from the pandera models to schemas/
schemas: $(SCHEMAS_TARGETS)

## figures: draw the report's figures from the processed data into reports/figures/
figures: $(FIGURES_TARGETS)

## record: the record page and printed record, reports/_build/record.html and record.pdf
record: $(RECORD_TARGETS)

## report: build the essay (essay.html, essay.pdf) and the record in reports/_build (ENGINE=quarto to use Quarto)
report: $(REPORT_TARGETS) $(RECORD_TARGETS) $(MANIFEST_TARGETS)

## docx: the essay as a Word document, reports/_build/essay.docx (not part of make report)
docx: $(DOCX_TARGETS)

## preview: serve the essay on 127.0.0.1, rebuilt and reloaded on every save (PORT=4848 OPEN=no)
preview: $(ENV_STAMP)
	@$(UKREPORT) preview reports/essay.qmd --port $(or $(PORT),4848) $(if $(filter no,$(OPEN)),--no-browser)

## verify: build everything twice in fresh copies and compare every output byte for byte
verify: $(ENV_STAMP)
	@$(UKREPORT) verify

## test: the test suite on every core, without the slow tier (COVERAGE=1 measures coverage; PYTEST_ARGS to add)
test: $(ENV_STAMP)
	@$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m "not slow" \
	  $(if $(filter 1,$(COVERAGE)),--cov=ukreport --cov-report=term:skip-covered) $(PYTEST_ARGS)

## test-slow: the slow tier: wheel builds, fresh virtual environments, large files
test-slow: $(ENV_STAMP)
	@$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m slow $(PYTEST_ARGS)

## test-explore: the property tests with fresh random examples, failures kept in .hypothesis/ (PYTEST_ARGS to add)
test-explore: $(ENV_STAMP)
	@$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m "not slow" --hypothesis-profile explore \
	  --hypothesis-show-statistics -q $(PYTEST_ARGS)

## browser: open the HTML in headless Chromium (UKREPORT_HTML=file checks a built report)
browser: $(ENV_STAMP)
	@$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# The HTML checkers, pinned in tests/standards/package-lock.json (npm's own lock file).
STANDARDS_TOOLS := tests/standards/node_modules/.package-lock.json

$(STANDARDS_TOOLS): tests/standards/package.json tests/standards/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: apt-get install npm" >&2; exit 2; }
	@npm ci --prefix tests/standards --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

## standards: the Nu Html Checker and axe-core on reports/_build/essay.html (needs Java, npm, Chromium)
standards: $(REPORT_TARGETS) $(STANDARDS_TOOLS) | $(ENV_STAMP)
	@UKREPORT_HTML=$(BUILD_DIR)/essay.html $(BIN)/python -m pytest -m standards $(PYTEST_ARGS)

# The JavaScript reader of the README's example, pinned in tests/readers/package-lock.json.
READERS_TOOLS := tests/readers/node_modules/.package-lock.json

$(READERS_TOOLS): tests/readers/package.json tests/readers/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: apt-get install nodejs npm" >&2; exit 2; }
	@npm ci --prefix tests/readers --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

## readers: run the README's R and JavaScript examples on data/processed (needs npm; R optional)
readers: $(READERS_TOOLS) | $(ENV_STAMP)
	@$(BIN)/python -m pytest tests/test_readers.py -n 0 $(PYTEST_ARGS)

## check: formatting, lint and strict type checks
check: $(ENV_STAMP)
	@$(BIN)/ruff format --check src tests benchmarks
	@$(BIN)/ruff check src tests benchmarks
	@$(BIN)/mypy --strict src

## drift: regenerate schemas/ and data/processed/ and fail if they differ from git
drift: $(ENV_STAMP)
	@$(UKREPORT) schemas --out schemas
	@$(UKREPORT) process --raw data/raw --out $(PROCESSED_DIR)
	@$(UKREPORT) deps --out deps.mk
	@if [ -n "$$(git status --porcelain -- schemas $(PROCESSED_DIR) deps.mk)" ]; then \
	  git status --short -- schemas $(PROCESSED_DIR) deps.mk; \
	  echo "generated files differ from the committed ones: run make schemas data deps and commit" >&2; \
	  exit 1; \
	else echo "schemas/, data/processed/ and deps.mk match their sources"; fi

## diff: what changed in data/raw since BASE (a revision or folder; default main)
diff: $(ENV_STAMP)
	@$(UKREPORT) diff $(or $(BASE),main) $(if $(FORMAT),--format $(FORMAT)) --exit-zero

## schema-check: does the version cover the schema and data changes since BASE (default the last release)
schema-check: $(ENV_STAMP)
	@$(UKREPORT) schema-check $(BASE) --changelog

# The release's files. The release tools live in .venv-dist (requirements-dist.lock,
# hashed): cffconvert needs a jsonschema the test tools cannot share. The backend builds
# the sdist, then the wheel from it; `ukreport dist` rewrites both with every timestamp
# at SOURCE_DATE_EPOCH and packs the data package, so one commit gives the same bytes.
.PHONY: dist
DIST_VENV := .venv-dist
DIST_STAMP := $(DIST_VENV)/.installed
DIST_BUILD := dist/.build

$(DIST_STAMP): requirements-dist.lock
	@rm -rf $(DIST_VENV)
	@$(PYTHON) -m venv $(DIST_VENV)
	@$(DIST_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements-dist.lock
	@touch $@

## dist: sdist, wheel, data package zip (SHA256SUMS) and .zenodo.json in dist/, reproducibly
dist: $(PACKAGE) $(DIST_STAMP) | $(ENV_STAMP)
	@rm -rf dist
	@$(DIST_VENV)/bin/python -m build --quiet --no-isolation --outdir $(DIST_BUILD) .
	@$(DIST_VENV)/bin/cffconvert --infile CITATION.cff --format zenodo --outfile $(DIST_BUILD)/.zenodo.json
	@$(UKREPORT) dist $(DIST_BUILD) --out dist
	@rm -rf $(DIST_BUILD)

## bench: every speed figure in one table (REPEAT=3; SIZES="10000 100000 1000000")
bench: $(ENV_STAMP)
	@$(BIN)/python benchmarks/bench.py --repeat $(or $(REPEAT),3) $(if $(SIZES),--sizes $(SIZES))

## clean: remove generated build files (keeps data/processed, schemas and .venv)
clean:
	rm -rf $(BUILD_DIR) $(FIGURES_DIR) reports/.ukreport-cache .pytest_cache .mypy_cache .ruff_cache .hypothesis \
	  benchmarks/_data build dist src/*.egg-info test-artifacts .coverage

## distclean: clean, and remove the virtual environment too
distclean: clean
	rm -rf $(VENV)
