"""How people ask, for the diacritics restorer: the NLU training examples.

Cards teach the restorer the words of the answers; the intents' examples, written the way
citizens type ("vậy tôi có thể…", "hiện giờ", "cần đến đâu"), teach it the words of the
questions. Entity annotations ("[Lào Cai](province)") are reduced to their text.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import yaml

from vntext.markup import strip_markup

logger = logging.getLogger(__name__)

_ITEM = re.compile(r"^\s*-\s*")


def asking_texts(nlu_dir: Path) -> list[str]:
    """Every intent example under ``nlu_dir`` as plain text (none when it does not exist)."""
    if not nlu_dir.is_dir():
        return []
    texts: list[str] = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            logger.warning("NLU examples not read for the restorer: %s — %s", path, exc)
            continue
        items = data.get("nlu") if isinstance(data, dict) else None
        for item in items or []:
            if not isinstance(item, dict) or "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                text = strip_markup(_ITEM.sub("", line)).strip()
                if text:
                    texts.append(text)
    return texts
