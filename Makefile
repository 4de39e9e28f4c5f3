# Two entry points for a fresh machine: `make run` and `make test`.
# The virtual environment is created on first use from the pinned lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench lock clean messages

CATALOG := scheduler/locale/id/LC_MESSAGES/jadwal.po

# The editable install compiles the catalog (setup.py): a changed .po installs it again.
# -qq: pip's errors only, not a warning per package about a mirror folder this machine lacks.
$(STAMP): requirements.lock pyproject.toml setup.py $(CATALOG)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

## run: the main job on the shipped example calendar, without credentials
run: $(STAMP)
	$(BIN)/jadwal check calendar.yaml
	$(BIN)/jadwal preview calendar.yaml --from 2026-12-05 --to 2026-12-08
	$(BIN)/jadwal tick calendar.yaml --dry-run --now "2026-12-05 08:00"
	$(BIN)/jadwal history calendar.yaml --dry-run
	$(BIN)/jadwal calendar calendar.yaml --month 2026-12 --dry-run

## test: linters, type checks and the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

## messages: re-extract the messages into jadwal.pot, bring the Indonesian catalog up to date
## (new messages come in untranslated, tests/test_catalogs.py names them) and compile it
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg --no-location --sort-output --width 100 \
		--project jadwal --copyright-holder "jadwal" -o scheduler/locale/jadwal.pot .
	$(BIN)/pybabel --quiet update -i scheduler/locale/jadwal.pot -d scheduler/locale -D jadwal \
		--no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/pybabel --quiet compile -d scheduler/locale -D jadwal

bench: $(STAMP)
	$(BIN)/python bench/run.py

## lock: pin what pyproject.toml added or changed, keeping every other pin as it is
## (UPGRADE=1: re-resolve every dependency to the newest the registry has)
UPGRADE ?=
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $(if $(UPGRADE),,-c requirements.lock) -e '.[dev,postgres]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
