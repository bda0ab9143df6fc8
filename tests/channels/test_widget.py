"""The web widget's static files and demo page, served by the gateway."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from tests.channels.conftest import make_settings

STATIC = Path(__file__).resolve().parents[2] / "channels" / "static"


@pytest.fixture(scope="module")
def client() -> TestClient:
    settings = make_settings(rasa_url="http://rasa.test", action_server_url="http://actions.test")
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/", "text/html"),
        ("/widget.js", "text/javascript"),
        ("/widget.css", "text/css"),
    ],
)
def test_files_are_served_with_their_content_type(client, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"]
    assert response.headers["etag"]


def test_assets_are_cacheable_and_revalidate_with_etag(client) -> None:
    first = client.get("/widget.js")
    assert "max-age=" in first.headers["cache-control"]
    again = client.get("/widget.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get("/").headers["cache-control"] == "no-cache"


def test_demo_page_has_a_content_security_policy(client) -> None:
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


def test_served_files_match_the_static_directory(client) -> None:
    for name in ("widget.js", "widget.css", "index.html"):
        path = "/" if name == "index.html" else f"/{name}"
        assert client.get(path).content == (STATIC / name).read_bytes()


def test_demo_page_embeds_the_script_with_data_attributes(client) -> None:
    html = client.get("/").text
    tag = re.search(r"<script\b[^>]*\bsrc=\"/widget\.js\"[^>]*>", html)
    assert tag, "demo page must embed /widget.js"
    assert 'data-title="Trợ lý 06"' in tag.group(0)
    assert re.search(r'data-color="#[0-9a-fA-F]{6}"', tag.group(0))
    assert " defer" in tag.group(0)
    assert '<html lang="vi">' in html


def test_script_is_valid_javascript() -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run(
        [node, "--check", str(STATIC / "widget.js")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
