"""The web widget's static files and demo page, served by the gateway."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.settings import GatewaySettings

STATIC = Path(__file__).resolve().parents[2] / "channels" / "static"


@pytest.fixture(scope="module")
def client() -> TestClient:
    settings = GatewaySettings(rasa_url="http://rasa.test", action_server_url="http://actions.test")
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


def test_script_never_writes_html() -> None:
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script


def test_script_has_the_vietnamese_ui_and_accessibility_hooks() -> None:
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    for text in ("Nhập câu hỏi…", "Gửi", "Trợ lý đang trả lời…", '"/greet"', "web:"):
        assert text in script, text
    for hook in ('role: "log"', '"aria-live": "polite"', '"aria-label"', "Escape", '"label"'):
        assert hook in script, hook
    css = (STATIC / "widget.css").read_text(encoding="utf-8")
    assert "white-space: pre-wrap" in css
    assert re.search(r"@media \(max-width: 480px\)", css)


def test_demo_page_embeds_the_script_with_data_attributes(client) -> None:
    html = client.get("/").text
    tag = re.search(r"<script\b[^>]*\bsrc=\"/widget\.js\"[^>]*>", html)
    assert tag, "demo page must embed /widget.js"
    assert 'data-title="Trợ lý 06"' in tag.group(0)
    assert re.search(r'data-color="#[0-9a-fA-F]{6}"', tag.group(0))
    assert " defer" in tag.group(0)
    assert '<html lang="vi">' in html


def test_script_has_the_officials_login_form() -> None:
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    for text in (
        '"/api/auth/login"',
        "Cán bộ đăng nhập",
        "Chế độ cán bộ: ",
        "Đăng xuất",
        "Tên đăng nhập",
        "Mật khẩu",
        "Đã đăng nhập chế độ cán bộ",
        "đăng nhập lại",
        "Biểu đồ số liệu",
    ):
        assert text in script, text
    for hook in (
        'type: "password"',
        'autocomplete: "username"',
        'autocomplete: "current-password"',
        'role: "alert"',
        '"aria-expanded"',
        "loginSubmit.disabled = value",
        "body.expires_in",
    ):
        assert hook in script, hook
    assert 'headers.Authorization = "Bearer " + token' in script
    assert "response.status === 401 && token" in script


def test_login_token_is_kept_in_memory_only() -> None:
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    for store in ("sessionStorage", "document.cookie", "indexedDB"):
        assert store not in script, store
    assert re.findall(r"localStorage\.setItem\(\s*([^,)]+)", script) == ["SENDER_KEY"]
    assert 'var SENDER_KEY = "troly06.sender_id";' in script
    assert "access_token" in script
    export = re.search(r"window\.TroLy06Widget = \{[^}]*\}", script)
    assert export, "the widget's public object"
    assert "token" not in export.group(0).lower() and "session" not in export.group(0)


def test_login_form_styles_exist() -> None:
    css = (STATIC / "widget.css").read_text(encoding="utf-8")
    for selector in (".troly-staff", ".troly-badge", ".troly-login", ".troly-login-error"):
        assert selector + " {" in css, selector


def test_script_is_valid_javascript() -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run(
        [node, "--check", str(STATIC / "widget.js")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
