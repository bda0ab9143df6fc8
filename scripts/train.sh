#!/usr/bin/env bash
# Trains the Rasa model only when its inputs changed.
# The model is named by a fingerprint of everything that shapes it (config, domain,
# stories/rules, NLU data, the custom components and the shared text code, the
# Rasa lock) and cached outside the work tree, so a new clone on the same machine
# reuses it. Prints the model path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${TROLY_MODEL_CACHE:-$HOME/.cache/tro-ly-06/models}"
mkdir -p models "$cache"
fingerprint=$(python3 scripts/fingerprint.py .)
model="models/troly06-$fingerprint.tar.gz"
if [ ! -f "$model" ] && [ -f "$cache/troly06-$fingerprint.tar.gz" ]; then
  cp "$cache/troly06-$fingerprint.tar.gz" "$model"
  echo "train: reused cached model $fingerprint" >&2
fi
if [ ! -f "$model" ]; then
  rm -rf build/nlu && PYTHONPATH="$PWD" .venv-rasa/bin/python -m bot.augment nlu_data build/nlu
  echo "train: inputs changed, training model $fingerprint (a few minutes)…" >&2
  start=$(date +%s)
  PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" RASA_TELEMETRY_ENABLED=false \
    .venv-rasa/bin/rasa train --config config.yml --domain bot/domain --data build/nlu bot/data \
      --out models --fixed-model-name "troly06-$fingerprint" --quiet >&2
  echo "train: done in $(( $(date +%s) - start )) s" >&2
  cp "$model" "$cache/"
fi
ln -sfn "$(basename "$model")" models/current.tar.gz
echo "$model"
