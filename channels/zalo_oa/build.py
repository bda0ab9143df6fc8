"""The OA channel from the settings: what is missing, and the service when nothing is."""

from __future__ import annotations

import functools
import logging

import httpx

from channels.zalo_oa.client import OAClient
from channels.zalo_oa.service import ZaloOAService
from channels.zalo_oa.tokens import TokenManager
from core.config import Settings
from oa_tokens import InvalidTokenKey, TokenCipher, load_tokens, save_tokens

logger = logging.getLogger("channels.zalo_oa")

OA_POOL = httpx.Limits(max_connections=20, max_keepalive_connections=10)
REQUIRED = (
    ("zalo_oa_app_id", "TROLY_ZALO_OA_APP_ID"),
    ("zalo_oa_secret_key", "TROLY_ZALO_OA_SECRET_KEY"),
    ("zalo_oa_app_secret", "TROLY_ZALO_OA_APP_SECRET"),
    ("zalo_oa_token_key", "TROLY_ZALO_OA_TOKEN_KEY"),
)


def missing_settings(settings: Settings) -> list[str]:
    """The environment variables the OA channel still needs (empty: configured)."""
    return [env for field, env in REQUIRED if not getattr(settings.gateway, field).strip()]


def is_enabled(settings: Settings) -> bool:
    """Whether any OA setting is given (a half-configured channel is reported, not ignored)."""
    return any(getattr(settings.gateway, field).strip() for field, _ in REQUIRED)


def build_token_manager(
    settings: Settings, client: OAClient, cipher: TokenCipher | None = None
) -> TokenManager:
    """Tokens of the configured app, stored encrypted in the application database
    (raises InvalidTokenKey for a key that is not a Fernet key)."""
    gw = settings.gateway
    cipher = cipher or TokenCipher(gw.zalo_oa_token_key)
    url, app_id = settings.database.url, gw.zalo_oa_app_id
    return TokenManager(
        client,
        app_id=app_id,
        app_secret=gw.zalo_oa_app_secret,
        load=functools.partial(load_tokens, url, app_id, cipher),
        save=functools.partial(save_tokens, url, app_id, cipher=cipher),
    )


def build_oa_service(settings: Settings) -> ZaloOAService | None:
    """The OA channel when fully configured, else None (the webhook then answers 503; a
    half-configured or unusable setup is logged, and the rest of the gateway still starts)."""
    missing = missing_settings(settings)
    if missing:
        if is_enabled(settings):
            logger.error("zalo oa channel off: %s not set", ", ".join(missing))
        return None
    gw = settings.gateway
    try:
        cipher = TokenCipher(gw.zalo_oa_token_key)  # a bad key fails before a client exists
    except InvalidTokenKey as exc:
        logger.error("zalo oa channel off: %s", exc)
        return None
    http = httpx.AsyncClient(limits=OA_POOL)
    client = OAClient(http, gw.zalo_oa_api_base_url, gw.zalo_oa_oauth_base_url)
    return ZaloOAService(
        client,
        build_token_manager(settings, client, cipher),
        http=http,
        public_url=gw.public_url,
        database_url=settings.database.url,
        reply_window_hours=gw.zalo_oa_reply_window_hours,
        settings=settings,
    )
