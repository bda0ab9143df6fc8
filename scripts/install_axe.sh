#!/usr/bin/env bash
# Installs axe-core (npm, the version locked in tests/e2e/axe/package-lock.json) for the browser
# tests' accessibility checks. Idempotent; never fails the build: on failure it warns and exits 0
# (the browser tests then skip, unless TROLY_REQUIRE_BROWSER=1 makes them fail).
set -u
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/e2e/axe" && pwd)"
if [ -f "$DIR/node_modules/axe-core/axe.min.js" ]; then
    echo "install_axe: axe-core already installed"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "install_axe: WARNING npm not found; accessibility checks will skip" >&2
    exit 0
fi
if npm ci --prefix "$DIR" --no-audit --no-fund --silent; then
    echo "install_axe: installed axe-core $(node -p "require('$DIR/node_modules/axe-core/package.json').version" 2>/dev/null)"
else
    echo "install_axe: WARNING npm ci failed; accessibility checks will skip" >&2
fi
exit 0
