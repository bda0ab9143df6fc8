"""Scores `rasa test nlu` output: intent macro-F1 overall and on the no-diacritics subset.

Macro-F1 is averaged over the intents of the test set. A prediction of `nlu_fallback`
(the FallbackClassifier declining to answer) counts as a miss for the true intent but
is not averaged in as a label of its own, which Rasa's own report does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.metrics import f1_score

from vntext import has_diacritics


def load_predictions(out_dir: Path) -> list[tuple[str, str, str]]:
    """(text, true intent, predicted intent) for every test example."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out_dir / name
        if path.exists():
            for item in json.loads(path.read_text(encoding="utf-8")):
                rows.append((item["text"], item["intent"], item["intent_prediction"]["name"]))
    return rows


def macro_f1(rows: list[tuple[str, str, str]]) -> float:
    """Macro-F1 over the true intents present in ``rows``."""
    labels = sorted({r[1] for r in rows})
    return float(
        f1_score([r[1] for r in rows], [r[2] for r in rows], labels=labels, average="macro")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--min-macro-f1", type=float, default=0.0)
    parser.add_argument("--min-no-diacritics-f1", type=float, default=0.0)
    args = parser.parse_args()
    rows = load_predictions(args.out_dir)
    if not rows:
        print("nlu-eval: no predictions found", file=sys.stderr)
        return 1
    plain = [r for r in rows if not has_diacritics(r[0])]
    report = json.loads((args.out_dir / "intent_report.json").read_text(encoding="utf-8"))
    summary = {
        "examples": len(rows),
        "no_diacritics_examples": len(plain),
        "macro_f1": round(macro_f1(rows), 4),
        "no_diacritics_macro_f1": round(macro_f1(plain), 4),
        "rasa_report_macro_f1": round(report["macro avg"]["f1-score"], 4),
        "accuracy": round(report.get("accuracy", 0.0), 4),
        "fallback_predictions": sum(1 for r in rows if r[2] == "nlu_fallback"),
    }
    (args.out_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print("nlu-eval:", json.dumps(summary))
    worst = sorted(
        (
            (k, v["f1-score"])
            for k, v in report.items()
            if isinstance(v, dict)
            and "support" in v
            and k not in ("macro avg", "weighted avg", "micro avg")
        ),
        key=lambda kv: kv[1],
    )[:5]
    print("nlu-eval: weakest intents:", ", ".join(f"{k}={v:.2f}" for k, v in worst))
    failed = []
    if summary["macro_f1"] < args.min_macro_f1:
        failed.append(f"macro-F1 {summary['macro_f1']} < {args.min_macro_f1}")
    if summary["no_diacritics_macro_f1"] < args.min_no_diacritics_f1:
        failed.append(
            f"no-diacritics macro-F1 {summary['no_diacritics_macro_f1']}"
            f" < {args.min_no_diacritics_f1}"
        )
    if failed:
        print("nlu-eval: FAILED: " + "; ".join(failed), file=sys.stderr)
        return 1
    print("nlu-eval: thresholds met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
