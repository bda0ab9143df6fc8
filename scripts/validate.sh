#!/usr/bin/env bash
# rasa data validate over domain, rules, stories and NLU data; any warning fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false .venv-rasa/bin/rasa data validate --fail-on-warnings \
  --config config.yml --domain bot/domain --data nlu_data bot/data 2>&1 \
  | grep -Ev "DeprecationWarning|declare_namespace|xla_computation|PyparsingDeprecation|setParseAction|parseString|resetCache|^\s*$" || true
test "${PIPESTATUS[0]}" -eq 0
# the held-out test set must load cleanly too (it is never used for training)
PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false .venv-rasa/bin/python - <<'PY'
import warnings
from rasa.shared.nlu.training_data.loading import load_data
with warnings.catch_warnings():
    warnings.simplefilter("error", UserWarning)
    data = load_data("tests/nlu/test_nlu.yml")
print(f"validate: held-out NLU test set loads cleanly ({len(data.intent_examples)} examples)")
PY
