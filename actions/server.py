"""Runs the action server on 127.0.0.1 (rasa-sdk's own CLI binds 0.0.0.0).

    python -m actions.server [--port 5055]

Adds GET /health/stores, which reports the knowledge base the actions answer from.
"""

from __future__ import annotations

import argparse
import logging
import os
import time

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.response import json as json_response

logger = logging.getLogger("actions.server")


def _down(exc: Exception) -> dict[str, str]:
    """A store that failed: the error's kind only (its text may name paths or hosts)."""
    logger.warning("store health: %s", exc, exc_info=exc)
    return {"status": "down", "detail": type(exc).__name__}


HEALTH_TTL_SECONDS = 10.0
_health: dict[str, object] = {"at": None, "report": None}


def cached_stores_health() -> dict[str, dict[str, str]]:
    """``stores_health`` at most every 10 s: the public /healthz must not turn into a
    database count per request."""
    now = time.monotonic()
    at = _health["at"]
    if at is None or now - float(at) >= HEALTH_TTL_SECONDS:  # type: ignore[arg-type]
        _health["report"], _health["at"] = stores_health(), now
    return _health["report"]  # type: ignore[return-value]


def stores_health() -> dict[str, dict[str, str]]:
    """Status of each store the actions use; builds them on first call (warm-up).

    Problems are reported, never raised: health must always answer.
    """
    from assistant.services import services

    report: dict[str, dict[str, str]] = {}
    try:
        units = services().knowledge.retriever.units
        cards = sum(1 for u in units if u.kind == "card")
        detail = f"{len(units)} units ({cards} cards, {len(units) - cards} document passages)"
        report["knowledge"] = {"status": "ok" if units else "down", "detail": detail}
    except Exception as exc:
        report["knowledge"] = _down(exc)
    try:
        count = len(services().procedures().procedures)
        report["procedures"] = {"status": "ok", "detail": f"{count} procedures"}
    except Exception as exc:
        report["procedures"] = _down(exc)
    try:
        from core.config import get_settings
        from indicators.query import approved_figure_count

        count = approved_figure_count(get_settings().database.url)
        report["indicators"] = {"status": "ok", "detail": f"{count} approved figures"}
    except Exception as exc:
        report["indicators"] = _down(exc)
    return report


def build_app() -> Sanic:
    """rasa-sdk's app with the project's actions and the stores health route."""
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=[])

    @app.get("/health/stores")
    async def _stores(_request):
        return json_response(cached_stores_health())

    return app


def main() -> None:
    """Parses arguments and serves on the loopback interface."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("TROLY_ACTIONS_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("TROLY_ACTIONS_PORT", "5055"))
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = build_app()
    from core.access.claims import claim_secret_from_env
    from core.config import CLAIM_SECRET_ENV, DEV_CLAIM_SECRET, get_settings

    if claim_secret_from_env() == DEV_CLAIM_SECRET:
        if not get_settings().gateway.dev_mode:
            logger.error("refusing to start: %s is the public development default; set it (the "
                         "same value as the gateway's), or TROLY_DEV_MODE=1 on a developer's "
                         "machine", CLAIM_SECRET_ENV)
            raise SystemExit(2)
        logger.warning("dev mode: %s is the public development default", CLAIM_SECRET_ENV)
    stores_health()  # load the knowledge base before the first request
    logger.info("action server on http://%s:%d", args.host, args.port)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
