"""Fingerprint of everything that shapes the Rasa model (stdlib only).

YAML files are hashed without full-line comments and trailing blanks, so editing
an explanation does not force a retrain; Python and lock files are hashed as is.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

INPUTS = ["config.yml", "bot", "nlu_data", "vntext", "requirements/rasa.lock.txt"]
SUFFIXES = {".yml", ".yaml", ".py", ".txt"}
# where the running server connects (tracker store, channels) does not shape the model
RUNTIME_ONLY = {"bot/endpoints.yml", "bot/endpoints.scaled.yml", "bot/credentials.yml"}


def files(root: Path) -> list[Path]:
    out = []
    for name in INPUTS:
        path = root / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        out += [
            p
            for p in candidates
            if p.is_file()
            and p.suffix in SUFFIXES
            and "__pycache__" not in p.parts
            and p.relative_to(root).as_posix() not in RUNTIME_ONLY
        ]
    return sorted(out)


def content(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix in {".yml", ".yaml"}:
        lines = [ln.rstrip() for ln in data.decode("utf-8").splitlines()]
        data = "\n".join(ln for ln in lines if ln and not ln.lstrip().startswith("#")).encode()
    return data


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + content(path) + b"\0")
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(fingerprint(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
