"""troly ingest|gaps|eval|eval-real|procedures|indicators|figures|zalo|zalo-oa [ARGS…]

Each command hands its arguments to the package that owns it, so ``troly ingest PATH`` is
``python -m knowledge ingest PATH`` and ``troly procedures export`` is
``python -m procedures export``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

# command → (module with main(argv), arguments put in front)
COMMANDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "ingest": ("knowledge.__main__", ("ingest",), "index cards and documents"),
    "gaps": ("curation.__main__", ("gaps",), "questions the assistant could not answer"),
    "eval": ("knowledge.__main__", ("eval",), "retrieval evaluation"),
    "procedures": ("procedures.__main__", (), "import/export/validate procedure records"),
    "indicators": ("indicators.__main__", (), "officials' figures: sync, load, import, lookups"),
    "figures": ("indicators.figures.__main__", (), "figure extractor: extract, evaluate"),
    "zalo": ("channels.zalo.cli", (), "Zalo Bot webhook: set, delete, info"),
    "zalo-oa": ("channels.zalo_oa.cli", (), "Zalo OA: new-key, set-tokens, check, refresh"),
    "privacy": ("privacy.__main__", (), "personal data: purge, export, erase (docs/privacy.md)"),
}


def usage() -> str:
    lines = ["usage: troly COMMAND [ARGS…]", "", "commands:"]
    lines += [f"  {name:<12} {help_}" for name, (_, _, help_) in COMMANDS.items()]
    lines += ["", "troly COMMAND --help shows a command's own options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"troly: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module, prefix, _ = COMMANDS[command]
    return int(importlib.import_module(module).main([*prefix, *rest]) or 0)


if __name__ == "__main__":
    sys.exit(main())
