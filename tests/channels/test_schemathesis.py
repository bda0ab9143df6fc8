"""Property-based fuzzing of the gateway from its own OpenAPI schema (Schemathesis, in-process
ASGI): no input gives a server error, responses match the schema, and operations that declare
the bearer scheme refuse requests without it."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth, response_schema_conformance

from channels.app import create_app
from oa_tokens import generate_key
from tests.channels.conftest import make_settings

# the app is built at import (Schemathesis reads its schema then), and so is its data
# directory: removed when the process ends, as collecting the module (in runs that select none
# of its tests) makes it too
DATA = Path(tempfile.mkdtemp(prefix="troly-fuzz-"))
atexit.register(shutil.rmtree, DATA, ignore_errors=True)
FUZZ_OA_KEY = generate_key()


def _rasa(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/webhooks/rest/webhook":
        sender = json.loads(request.content).get("sender", "")
        return httpx.Response(200, json=[{"recipient_id": sender, "text": "Dạ."}])
    if request.url.path == "/status":
        return httpx.Response(200, json={"model_file": "m.tar.gz"})
    return httpx.Response(200, json={})


def _app():
    url = f"sqlite:///{DATA / 'troly06.db'}"
    config = make_settings(
        rasa_url="http://rasa.test", action_server_url="http://actions.test",
        database_url=url, accounts_database_url=url, data_dir=DATA, demo_accounts=False,
        # the Zalo channel configured (unconfigured, its webhook is 503 by design)
        zalo_bot_token="123:fuzz", zalo_webhook_secret="s" * 32,
        zalo_api_base_url="http://zalo.test",
        # and the Zalo OA channel (fuzzed deliveries carry no valid signature: 403)
        zalo_oa_app_id="1", zalo_oa_secret_key="k" * 32, zalo_oa_app_secret="a" * 32,
        zalo_oa_token_key=FUZZ_OA_KEY, zalo_oa_api_base_url="http://zalo-oa.test",
        zalo_oa_oauth_base_url="http://zalo-oa.test",
    )
    return create_app(config, transport=httpx.MockTransport(_rasa))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_gateway_answers_every_input_without_a_server_error(case) -> None:
    case.call_and_validate(
        checks=[not_a_server_error, response_schema_conformance, ignored_auth]
    )
