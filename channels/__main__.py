"""Runs the gateway: python -m channels (host/port from TROLY_GATEWAY_HOST/PORT)."""

from __future__ import annotations

import logging

import uvicorn

from channels.app import create_app
from core.config import get_settings


def main() -> None:
    """Starts uvicorn with the configured host and port."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs each request URL at INFO; Rasa's token travels in the query string.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=settings.gateway.gateway_host,
        port=settings.gateway.gateway_port,
        log_level="info",
        access_log=False,
    )


if __name__ == "__main__":
    main()
