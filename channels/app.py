"""Gateway application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from channels import handoffs
from channels.auth import install_auth_handlers, warn_about_dev_secrets
from channels.cache import TTLCache
from channels.errors import install_error_handlers
from channels.limits import BodySizeLimit
from channels.middleware import install_request_logging
from channels.privacy import retention_sweep
from channels.rasa_client import RasaClient, ReplicaReadiness, watch_replicas
from channels.ratelimit import SenderRateLimiter
from channels.routers import (
    analytics,
    auth,
    charts,
    chat,
    console,
    curation,
    feedback,
    health,
    indicators,
    privacy,
    staff,
    widget,
    zalo,
    zalo_oa,
)
from channels.zalo import ZaloService, build_bot
from channels.zalo_oa import build_oa_service
from core.config import Settings, get_settings, require_safe_secrets

logger = logging.getLogger("channels")
WEB_POOL = httpx.Limits(max_connections=100, max_keepalive_connections=20)
ZALO_POOL = httpx.Limits(max_connections=20, max_keepalive_connections=10)


def seed_demo_accounts(settings: Settings) -> None:
    """Dev mode: creates the demo staff accounts. Otherwise disables any that exist (their
    passwords are published). A failure is logged and the gateway still starts."""
    try:
        from core.access.accounts import disable_demo_accounts, ensure_demo_accounts

        if not settings.gateway.dev_mode:
            disable_demo_accounts(settings.database.audit_url)
            return
        if not settings.gateway.demo_accounts:
            return
        created = ensure_demo_accounts(settings.database.audit_url)
        if created:
            logger.info("demo accounts created: %s", ", ".join(created))
    except Exception:
        logger.exception("could not create or disable the demo accounts")


def build_zalo_service(settings: Settings) -> ZaloService | None:
    """The Zalo channel when a bot token is configured, else None (webhook answers 503)."""
    if not settings.gateway.zalo_bot_token:
        return None
    return ZaloService(
        build_bot(settings.gateway.zalo_bot_token, settings.gateway.zalo_api_base_url),
        public_url=settings.gateway.public_url,
        database_url=settings.database.url,
        settings=settings,
    )


def create_app(
    settings: Settings | None = None, transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    """Builds the gateway; one shared HTTP client lives for the app's lifetime
    (``transport``: where its requests go instead of the network, for tests)."""
    settings = settings or get_settings()
    require_safe_secrets(settings)  # refuses development secrets outside dev mode
    docs = settings.gateway.dev_mode or settings.gateway.api_docs

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # web and Zalo reach Rasa through separate connection pools: a Zalo flood waits in
        # its own pool and never takes the connections web chats need
        async with (
            httpx.AsyncClient(transport=transport, limits=WEB_POOL) as http,
            httpx.AsyncClient(transport=transport, limits=ZALO_POOL) as zalo_http,
        ):
            app.state.http = http
            readiness = ReplicaReadiness()  # one view of the replicas for both clients
            app.state.rasa = RasaClient(
                http,
                settings.gateway.rasa_replicas,
                settings.secrets.rasa_token,
                settings.gateway.rasa_timeout_seconds,
                readiness,
            )
            app.state.zalo_rasa = RasaClient(
                zalo_http,
                settings.gateway.rasa_replicas,
                settings.secrets.rasa_token,
                settings.gateway.rasa_timeout_seconds,
                readiness,
            )
            # Built here so its HTTP clients belong to the serving event loop.
            app.state.zalo = build_zalo_service(settings)
            app.state.zalo_oa = build_oa_service(settings)
            # who pushes a staff message to a citizen, by channel (web citizens fetch theirs)
            app.state.pushers = {
                channel: service.send_text
                for channel, service in (("zalo", app.state.zalo), ("zalooa", app.state.zalo_oa))
                if service is not None
            }
            background = [asyncio.create_task(handoffs.sweep(
                settings, app.state.rasa, app.state.pushers,
            )), asyncio.create_task(retention_sweep(settings))]
            if len(settings.gateway.rasa_replicas) > 1:  # with one there is nowhere else to go
                background.append(asyncio.create_task(watch_replicas(
                    app.state.rasa,
                    settings.gateway.rasa_probe_seconds,
                    settings.gateway.health_timeout_seconds,
                )))
            warn_about_dev_secrets(settings)
            await asyncio.to_thread(seed_demo_accounts, settings)
            try:
                yield
            finally:
                for task in background:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                if app.state.zalo is not None:
                    await app.state.zalo.aclose()
                if app.state.zalo_oa is not None:
                    await app.state.zalo_oa.aclose()

    app = FastAPI(
        title="Trợ lý 06 gateway",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.settings = settings
    app.state.publications = set()  # cards being published (channels/routers/curation.py)
    app.state.rate_limiter = SenderRateLimiter(
        settings.gateway.rate_limit_messages, settings.gateway.rate_limit_window_seconds
    )
    gw = settings.gateway
    # tokens ended by a log-out, until they would have expired (this gateway process)
    app.state.revoked_tokens = TTLCache(100_000, gw.jwt_expires_seconds)
    app.state.ip_rate_limiter = SenderRateLimiter(
        gw.rate_limit_messages_per_ip, gw.rate_limit_window_seconds
    )
    app.state.login_rate_limiter = SenderRateLimiter(
        gw.login_rate_limit_attempts, gw.login_rate_limit_window_seconds
    )
    app.state.login_ip_limiter = SenderRateLimiter(
        gw.login_rate_limit_per_ip, gw.login_rate_limit_window_seconds
    )
    app.state.login_global_limiter = SenderRateLimiter(
        gw.login_rate_limit_global, gw.login_rate_limit_window_seconds
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.gateway.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization", "X-Request-ID"],
    )
    app.add_middleware(BodySizeLimit)  # outermost: nothing reads a body over the cap
    install_request_logging(app)
    install_error_handlers(app)
    install_auth_handlers(app)
    app.include_router(chat.router)
    app.include_router(feedback.router)
    app.include_router(staff.router)
    app.include_router(analytics.router)
    app.include_router(curation.router)
    curation.install_curation_handlers(app)
    staff.install_staff_handlers(app)
    app.include_router(auth.router)
    app.include_router(health.router)
    app.include_router(zalo.router)
    app.include_router(zalo_oa.router)
    app.include_router(widget.router)
    app.include_router(console.router)
    app.include_router(privacy.router)
    app.include_router(charts.router)
    app.include_router(indicators.router)
    return app
