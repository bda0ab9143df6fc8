#!/usr/bin/env bash
# Evaluates the trained model on the held-out NLU test set and enforces the thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-models/current.tar.gz}"
out="${2:-results/nlu}"
rm -rf "$out"; mkdir -p "$(dirname "$out")"
PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false .venv-rasa/bin/rasa test nlu --model "$model" \
  --nlu "${NLU_TEST_FILE:-tests/nlu/test_nlu.yml}" --out "$out" --successes --no-plot --quiet >/dev/null 2>"$out.stderr.log" \
  || { tail -30 "$out.stderr.log"; exit 1; }
PYTHONPATH="$PWD" .venv-rasa/bin/python scripts/nlu_scores.py "$out" \
  --min-macro-f1 "${NLU_MIN_MACRO_F1:-0.92}" --min-no-diacritics-f1 "${NLU_MIN_NO_DIACRITICS_F1:-0.88}"
