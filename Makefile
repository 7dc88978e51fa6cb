# govqa — `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
GOVQA := $(BIN)/govqa
STAMP := $(VENV)/.installed

.PHONY: setup model demo test test-fast lint clean

setup: $(STAMP) model

# Exact versions of every package come from requirements.lock (torch==2.13.0, CPU).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements.lock -e '.[dev]'
	touch $(STAMP)

model: $(STAMP)
	$(GOVQA) models prepare

demo: setup
	$(GOVQA) ingest seeds/
	$(GOVQA) stats
	@echo
	$(GOVQA) ask "宛城区2024年地区生产总值是多少？"
	@echo
	$(GOVQA) ask "谁主持召开了济源示范区党工委专题会议？"
	@echo
	$(GOVQA) ask "張宏義擔任什麼職務？"
	@echo
	$(GOVQA) ask "What was Wancheng District's GDP growth rate in 2024?"
	@echo
	$(GOVQA) ask "上海市市长是谁？"

# Two workers (pytest-xdist), a test file each at a time: most of the suite waits on other
# processes (govqa, chroma run, the bot), so the two cores overlap. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: setup
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# tests/unit only: no model (so no `model` step), Chroma, subprocess or server.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

lint: $(STAMP)
	$(BIN)/ruff check govqa ingest retrieval bot tests bench models
	$(BIN)/mypy govqa ingest retrieval bot models

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
