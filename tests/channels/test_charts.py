"""GET /api/charts/{id}.png serves stored charts; unknown ids get a Vietnamese 404."""

from __future__ import annotations

import os
import time

import pytest
from fastapi.testclient import TestClient

from channels.app import create_app
from channels.zalo.render import absolute_image_url, render_reply
from indicators.chart_store import chart_path, chart_url, charts_dir, save_chart
from tests.channels.conftest import make_settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def client(tmp_path, monkeypatch) -> TestClient:
    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    settings = make_settings(rasa_url="http://rasa.test", action_server_url="http://actions.test")
    return TestClient(create_app(settings))


def test_stored_chart_is_served(client, tmp_path):
    chart_id = save_chart(PNG, charts_dir(tmp_path))
    response = client.get(chart_url(chart_id))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png" and response.content == PNG


@pytest.mark.parametrize("chart_id", ["khong-co-bieu-do-nay-1234", "..%2F..%2Fetc%2Fpasswd", "a"])
def test_unknown_or_malformed_ids_are_404(client, chart_id):
    response = client.get(f"/api/charts/{chart_id}.png")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.json()["error"]["message"]


def test_store_refuses_non_png_and_prunes_old_files(tmp_path):
    directory = charts_dir(tmp_path)
    with pytest.raises(ValueError):
        save_chart(b"<svg/>", directory)
    old = save_chart(PNG, directory)
    stale = time.time() - 2 * 24 * 3600
    os.utime(directory / f"{old}.png", (stale, stale))
    new = save_chart(PNG, directory)
    assert chart_path(old, directory) is None and chart_path(new, directory) is not None


def test_zalo_gets_absolute_chart_urls_or_none():
    assert absolute_image_url("/api/charts/x.png", "https://troly.example.vn/") == (
        "https://troly.example.vn/api/charts/x.png")
    assert absolute_image_url("/api/charts/x.png", "") is None
    outgoing, _ = render_reply([{"text": "Biểu đồ", "image": "/api/charts/x.png"}])
    assert [o.photo for o in outgoing if o.photo] == []


def test_expired_chart_is_not_served_even_before_pruning(tmp_path):
    directory = charts_dir(tmp_path)
    chart_id = save_chart(PNG, directory)
    stale = time.time() - 2 * 24 * 3600
    os.utime(directory / f"{chart_id}.png", (stale, stale))
    assert chart_path(chart_id, directory) is None


def test_chart_ids_are_not_logged_nor_cached(client, tmp_path, caplog) -> None:
    import logging

    chart_id = save_chart(PNG, charts_dir(tmp_path))
    with caplog.at_level(logging.INFO):
        response = client.get(f"/api/charts/{chart_id}.png")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    # the gateway's own log (the test client's httpx logger is not the server's)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("channels"))
    assert chart_id not in logged and "/api/charts/<id>" in logged
