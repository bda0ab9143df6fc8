#!/usr/bin/env bash
# Compares NLU pipelines on the same split (train: nlu_data, test: tests/nlu/test_nlu.yml):
#   whitespace baseline | ours without augmentation | ours without folded features
#   (augmented data) | ours (folded features + augmentation, the shipped config).
# Every variant trains DIET for the same number of epochs (NLU_COMPARE_EPOCHS, default 30:
# the whitespace baseline's unbounded character n-grams cost ~0.02 s per example and epoch).
# Writes results/nlu-compare.md. Slow: four trainings and four evaluations.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false
work=results/nlu-compare; rm -rf "$work"; mkdir -p "$work"
rm -rf build/nlu && .venv-rasa/bin/python -m bot.augment nlu_data build/nlu
variants=(
  "whitespace-baseline|bench/nlu_configs/whitespace_baseline.yml|nlu_data"
  "ours-no-augmentation|config.yml|nlu_data"
  "ours-augmentation-no-folding|bench/nlu_configs/no_folded_features.yml|build/nlu"
  "ours-folding-and-augmentation|config.yml|build/nlu"
)
echo "| pipeline (DIET ${NLU_COMPARE_EPOCHS:-30} epochs) | macro-F1 | no-diacritics macro-F1 | accuracy | train s |" > "$work/table.md"
echo "|---|---|---|---|---|" >> "$work/table.md"
epochs="${NLU_COMPARE_EPOCHS:-30}"
for v in "${variants[@]}"; do
  IFS='|' read -r name cfg data <<<"$v"
  sed -E "s/^(\s+epochs:) [0-9]+/\1 $epochs/" "$cfg" > "$work/$name.config.yml"
  cfg="$work/$name.config.yml"
  start=$(date +%s)
  .venv-rasa/bin/rasa train nlu --config "$cfg" --nlu "$data" --out "$work" --fixed-model-name "$name" --quiet \
    >"$work/$name.train.log" 2>&1
  secs=$(( $(date +%s) - start ))
  NLU_MIN_MACRO_F1=0 NLU_MIN_NO_DIACRITICS_F1=0 scripts/nlu_eval.sh "$work/$name.tar.gz" "$work/$name" \
    | grep '^nlu-eval: {' | sed 's/^nlu-eval: //' > "$work/$name.json"
  python3 -c "
import json,sys; r=json.load(open('$work/$name.json'))
print(f\"| $name | {r['macro_f1']:.3f} | {r['no_diacritics_macro_f1']:.3f} | {r['accuracy']:.3f} | $secs |\")" \
    >> "$work/table.md"
  tail -1 "$work/table.md"
done
cp "$work/table.md" results/nlu-compare.md
cat results/nlu-compare.md
