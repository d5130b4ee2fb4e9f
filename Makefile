# Two commands for a newcomer (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXAMPLE := src/narrascope/examples/example_article.txt

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	touch $@

demo: install
	$(VENV)/bin/narrascope analyze $(EXAMPLE)

lint: install
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m mypy

test: lint
	$(PY) -m pytest -q -n 2 --dist loadfile

bench: install
	$(PY) benchmarks/speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
