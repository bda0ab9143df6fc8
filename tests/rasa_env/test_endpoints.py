"""Rasa reads both endpoint files: SQL tracker store on SQLite (make run) and, for the scaled
topology, PostgreSQL with a Redis lock store."""

from __future__ import annotations

from pathlib import Path

from rasa.core.utils import AvailableEndpoints

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_endpoints_keep_conversations_in_sqlite(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TROLY_TRACKER_DB", str(tmp_path / "tracker.db"))
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "bot" / "endpoints.yml"))
    assert endpoints.tracker_store.type == "SQL"
    assert endpoints.tracker_store.kwargs["dialect"] == "sqlite"
    assert endpoints.tracker_store.kwargs["db"] == str(tmp_path / "tracker.db")
    assert endpoints.action.url.startswith("http://127.0.0.1:")


def test_the_scaled_endpoints_use_postgresql_and_redis(monkeypatch) -> None:
    for name, value in {
        "TROLY_ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
        "TROLY_TRACKER_DB_HOST": "postgres", "TROLY_TRACKER_DB_PORT": "5432",
        "TROLY_TRACKER_DB_NAME": "rasa", "TROLY_TRACKER_DB_USER": "troly",
        "TROLY_TRACKER_DB_PASSWORD": "secret", "TROLY_REDIS_HOST": "redis",
        "TROLY_REDIS_PORT": "6379",
    }.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "bot" / "endpoints.scaled.yml"))
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.lock_store.type == "redis"
    assert endpoints.lock_store.kwargs["key_prefix"] == "troly06"
