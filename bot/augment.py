"""Training-data augmentation: add an accent-free copy of every accented example.

People often type without diacritics ("cach kich hoat vneid"). The tokenizer already
gives featurizers an accent-folded view (token lemmas), but the featurizer over the
written words only learns folded spellings if it sees them, so each accented example
gets a folded twin. Entity markup is kept: only the visible text is folded, which
keeps its length, so annotations stay aligned.

    python -m bot.augment nlu_data build/nlu
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from vntext import fold_accents, has_diacritics
from vntext.markup import MARKUP as _MARKUP
from vntext.markup import strip_markup

_EXAMPLE = re.compile(r"^(?P<indent>\s+)- (?P<text>.+)$")


def fold_example(line_text: str) -> str:
    """Folds the visible text of one example, leaving entity annotations untouched."""
    parts = []
    last = 0
    for m in _MARKUP.finditer(line_text):
        parts.append(fold_accents(line_text[last : m.start()]))
        parts.append(fold_accents(m.group(1)) + m.group(2))
        last = m.end()
    parts.append(fold_accents(line_text[last:]))
    return "".join(parts)


def augment_text(yaml_text: str) -> tuple[str, int]:
    """Returns the file text with folded twins inserted after accented examples."""
    lines = yaml_text.splitlines()
    seen = {m["text"].strip().lower() for line in lines if (m := _EXAMPLE.match(line))}
    out: list[str] = []
    in_examples = False
    added = 0
    for line in lines:
        out.append(line)
        stripped = line.strip()
        if stripped.startswith("examples:"):
            in_examples = True
            continue
        if (
            stripped.startswith("- intent:")
            or stripped.startswith("- synonym:")
            or stripped.startswith("- regex:")
        ):
            in_examples = False
        m = _EXAMPLE.match(line)
        if not (in_examples and m):
            continue
        text = m["text"]
        if not has_diacritics(strip_markup(text)):
            continue
        folded = fold_example(text)
        if folded.strip().lower() not in seen:
            seen.add(folded.strip().lower())
            out.append(f"{m['indent']}- {folded}")
            added += 1
    return "\n".join(out) + "\n", added


def augment_tree(source: Path, target: Path) -> int:
    """Writes an augmented copy of every YAML file under ``source`` into ``target``."""
    total = 0
    for path in sorted(source.rglob("*.yml")):
        text, added = augment_text(path.read_text(encoding="utf-8"))
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        total += added
    return total


if __name__ == "__main__":
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    count = augment_tree(src, dst)
    print(f"augment: {count} accent-free examples added", file=sys.stderr)
