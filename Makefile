# Two commands do all set-up on a fresh machine:
#   make demo   installs Khabar in .venv, builds out/graph.ttl from examples/ and renders out/graph.html
#   make test   installs Khabar with its test tools in .venv and runs the test suite
#               (all but the slow tests, a few minutes; `make test-slow` runs those)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-slow lint browser clean

demo: $(VENV)/.installed
	$(BIN)/khabar build examples -o out/graph.ttl
	$(BIN)/khabar render out/graph.ttl -o out/graph.html
	@echo "open out/graph.html, or query: $(BIN)/khabar query out/graph.ttl negotiations"

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest -q -m "not slow"

# The tests marked slow (training, whole-corpus builds, load tests); CI runs them too.
test-slow: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest -q -m slow

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# Headless Chromium for the rendering test (Debian's package; needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed: the browser test will be skipped"; fi; } || true

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[stanza]"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf out build *.egg-info
