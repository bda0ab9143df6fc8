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
    # Public base URL of this gateway (e.g. https://troly06.example.gov.vn): Zalo fetches chart
    # images from it; without it, chart images are left out of Zalo replies.
    public_url: str = ""
    # Public HTTPS URL of /webhooks/zalo, used by `python -m channels.zalo set-webhook`.
    zalo_webhook_url: str = ""
    # Staff login (POST /api/auth/login): HS256 JWTs signed with jwt_secret, short-lived.
    jwt_secret: str = Field(default="dev-jwt-secret-change-me")
    jwt_expires_seconds: int = 900
    # Signs the identity claim sent to Rasa/actions as message metadata (distinct secret).
    claim_secret: str = Field(default="dev-claim-secret-change-me")
    claim_ttl_seconds: int = 300
    # Login attempts per username + client IP within the window (0 disables the limit).
    login_rate_limit_attempts: int = 5
    login_rate_limit_window_seconds: float = 300.0
    # Accounts and audit database; empty means the knowledge layer's (TROLY_DATABASE_URL).
    accounts_database_url: str = ""
    # Create the demo accounts (TROLY_DEMO_*_USER / _PASSWORD) at startup.
    demo_accounts: bool = True

    @property
    def accounts_url(self) -> str:
        """SQLAlchemy URL of the accounts and audit tables."""
        if self.accounts_database_url:
            return self.accounts_database_url
        from knowledge.settings import KnowledgeSettings

        return KnowledgeSettings().sqlalchemy_url


@lru_cache(maxsize=1)
def get_settings() -> GatewaySettings:
    """Settings singleton for the running app."""
    return GatewaySettings()
