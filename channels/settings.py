"""Gateway settings from the environment (prefix TROLY_); safe local defaults."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    """Where the gateway listens and how it reaches the layer behind it."""

    model_config = SettingsConfigDict(env_prefix="TROLY_", extra="ignore")

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    # Token for Rasa's HTTP API (/status); Rasa only listens on 127.0.0.1.
    rasa_token: str = Field(default="dev-rasa-token-change-me")
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_seconds: float = 30.0
    health_timeout_seconds: float = 3.0
    cors_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    # Per-sender limit on POST /api/chat (0 disables it).
    rate_limit_messages: int = 20
    rate_limit_window_seconds: float = 60.0
    # Zalo Bot channel (POST /webhooks/zalo); disabled (503) until token and secret are set.
    zalo_bot_token: str = ""
    zalo_webhook_secret: str = ""
    zalo_api_base_url: str = "https://bot-api.zapps.me"
    # Public HTTPS URL of /webhooks/zalo, used by `python -m channels.zalo set-webhook`.
    zalo_webhook_url: str = ""


@lru_cache(maxsize=1)
def get_settings() -> GatewaySettings:
    """Settings singleton for the running app."""
    return GatewaySettings()
