"""Browser support for the end-to-end tests: Debian's Chromium through Playwright, and axe-core
for the accessibility checks. Without a Chromium executable (scripts/install_chromium.sh; or
TROLY_CHROMIUM=/path) or axe-core (scripts/install_axe.sh) the browser tests skip, unless
TROLY_REQUIRE_BROWSER=1 makes them fail. Screenshots go to artifacts/browser/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
)
AXE = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 2.1 rules axe-core ships as experimental (off unless named): 2.5.3 label in name
EXPERIMENTAL_WCAG_RULES = ["label-content-name-mismatch"]


def assert_accessible(page: Any, where: str) -> None:
    """axe-core (scripts/install_axe.sh) finds no WCAG 2.1 A/AA violation on the page as it is
    now (the browser contexts bypass the page's CSP so the script can be injected)."""
    if not AXE.exists():
        unavailable("axe-core is not installed")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules})",
        [WCAG_TAGS, {rule: {"enabled": True} for rule in EXPERIMENTAL_WCAG_RULES}],
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not violations, f"{where}:\n" + "\n".join(violations)


def find_chromium() -> str | None:
    """TROLY_CHROMIUM if set, else the first Chromium found on this machine."""
    explicit = os.environ.get("TROLY_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def unavailable(reason: str) -> NoReturn:
    """Skips the test, or fails it when the browser is required (TROLY_REQUIRE_BROWSER=1)."""
    if os.environ.get("TROLY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (TROLY_REQUIRE_BROWSER=1); run scripts/install_chromium.sh")
    pytest.skip(f"{reason}; run scripts/install_chromium.sh or set TROLY_CHROMIUM=/path")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for this module's tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed")
    executable = find_chromium()
    if executable is None:
        unavailable("no Chromium executable found (browser downloads are not possible here)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def base_url_of(gateway: Any) -> str:
    return str(gateway.base_url).rstrip("/")


