#!/usr/bin/env bash
# Prints the path of a working Python interpreter of the given version (e.g. 3.10).
# Tries PATH first, then pyenv's versions (whose shims may refuse without a local version).
set -euo pipefail
want="${1:?usage: find_python.sh 3.10}"
candidates=("python$want")
if command -v pyenv >/dev/null 2>&1; then
  root="$(pyenv root)"
  for d in "$root"/versions/"$want"*; do candidates+=("$d/bin/python$want"); done
fi
for d in /usr/bin /usr/local/bin "$HOME"/.pyenv/versions/"$want"*/bin; do candidates+=("$d/python$want"); done
for c in "${candidates[@]}"; do
  if out=$("$c" -c 'import sys; print(sys.executable, "%d.%d" % sys.version_info[:2])' 2>/dev/null); then
    exe="${out% *}"; ver="${out##* }"
    if [ "$ver" = "$want" ]; then echo "$exe"; exit 0; fi
  fi
done
echo "error: no working python$want found (install it, e.g. 'pyenv install $want')" >&2
exit 1
