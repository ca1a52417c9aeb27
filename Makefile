# Two commands on a fresh clone:  `make run` (the default experiment) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
# The torch wheel installed before the `embeddings` extra (CPU build; override for CUDA).
TORCH  ?= torch==2.13.0
BIN     = $(VENV)/bin

.PHONY: run test test-fast setup clean

run: $(VENV)/.installed
	$(BIN)/framing-experiment

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Without the tests that start services (an mlflow server, PostgreSQL, a one-node SLURM cluster).
test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not server and not slurm"

setup: $(VENV)/.installed

# Create the environment, install the package with its test, sweep, CRF, server (psycopg) and
# embeddings extras (torch first, $(TORCH)),
# and fetch any missing NLTK resource (skipped quietly when offline and NLTK_DATA has them).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install "$(TORCH)"
	$(BIN)/python -m pip install -e ".[dev,sweep,crf,server,embeddings]"
	$(BIN)/framing setup
	touch $@

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
