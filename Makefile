# nnviz: two commands on a fresh machine.
#   make run    create .venv, install requirements.txt, serve the app at http://localhost:8501
#   make test   install the test requirements (and Debian's chromium, and axe-core from npm, if missing), lint,
#               run every test
#   make bench  install requirements-bench.txt (PyTorch, CPU), time the engine against it (python -m nnviz.bench)
#               and the Network page (python -m nnviz.ui.bench_pages), and the Training page's playground in
#               Chromium (python -m tests.bench.bench_playground: redraws a second, Play to first frame, Pause)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test lint bench chromium axe compile clean

$(PY):
	$(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed; installing python3-venv" && \
	  $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv && \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

# numba compiles the SGD loops once and caches them in nnviz/__pycache__ (a few seconds, then instant).
compile: $(VENV)/.run-installed
	$(PY) -c 'from nnviz.kernel import warm_up; print(f"SGD loops compiled or loaded in {warm_up():.1f} s")'

run: compile
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core; \
	fi

# axe-core (npm, the version pinned in tests/browser/axe/package-lock.json) for tests/browser/test_a11y*.py.
AXE := tests/browser/axe
axe:
	@if ! command -v npm >/dev/null; then \
	  echo "installing Debian's nodejs and npm for axe-core"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm; \
	fi
	@if [ ! -f $(AXE)/node_modules/axe-core/axe.min.js ]; then npm ci --prefix $(AXE) --no-audit --no-fund; fi

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: $(VENV)/.dev-installed chromium axe lint compile
	$(PY) -m pytest tests

$(VENV)/.bench-installed: requirements-bench.txt requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.dev-installed $(VENV)/.run-installed

bench: $(VENV)/.bench-installed
	$(PY) -m nnviz.bench
	$(PY) -m nnviz.ui.bench_pages
	$(PY) -m tests.bench.bench_playground

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
