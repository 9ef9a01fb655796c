# zhize: the two commands a fresh machine needs are `make demo` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# the project's Neo4j listens here (and only a server this checkout started there is ever used or cleared)
ZHIZE_NEO4J_PORT ?= 7687
export ZHIZE_NEO4J_PORT
NEO4J_TEST_URI := bolt://127.0.0.1:$(ZHIZE_NEO4J_PORT)

.PHONY: demo test setup neo4j-start neo4j-stop browser clean bench samples

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## demo: set up, then extract the samples (text, PDF, Word, web page) into the embedded store and ask it who owns what
demo: $(STAMP)
	$(BIN)/zhize extract samples/ --jsonl .zhize/sample-facts.jsonl
	$(BIN)/zhize ingest samples/
	$(BIN)/zhize info
	$(BIN)/zhize query owners 救助

## browser: Debian's Chromium, its driver and a CJK font, for the end-to-end test of the explorer
## (the font also typesets the PDFs the reader tests and samples/make_samples.py make)
BROWSER_PKGS := chromium chromium-driver fonts-wqy-microhei
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list 2>/dev/null | grep -qi wqy || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PKGS) >/dev/null; \
	    else echo "missing: sudo apt-get install $(BROWSER_PKGS)"; fi; }

neo4j-start: $(STAMP)
	tools/neo4j/neo4j.sh start

neo4j-stop:
	-tools/neo4j/neo4j.sh stop

## test: set up, start the project's own Neo4j on $(ZHIZE_NEO4J_PORT) (refusing a server this checkout did not
## start), run the whole suite, then stop the server if this run started it, whatever happened
test: $(STAMP) browser
	@if tools/neo4j/neo4j.sh status >/dev/null; then started=; else tools/neo4j/neo4j.sh start || exit 1; started=1; fi; \
	  NEO4J_URI=$(NEO4J_TEST_URI) $(BIN)/pytest -q --nbmake tests notebooks; rc=$$?; \
	  if [ -n "$$started" ]; then tools/neo4j/neo4j.sh stop; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/run.py

## samples: remake the PDF, Word and HTML samples from the invented texts in samples/make_samples.py
samples: $(STAMP)
	$(BIN)/python samples/make_samples.py

clean:
	-tools/neo4j/neo4j.sh stop
	rm -rf $(VENV) .zhize tools/neo4j/target tools/neo4j/run
