"""Session fixtures for the Zalo OA end-to-end test: a fake OA API/OAuth server and a gateway
using it, beside the stack (the same approach as ``zalo_fixtures`` for the Bot channel: the
stack's own gateway was configured before this fake existed, so a second gateway process on a
free port serves the OA channel and talks to the stack's Rasa and action server).

The initial token pair is stored encrypted in the stack's database before that gateway
starts, as an operator does with ``troly zalo-oa set-tokens``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from oa_tokens import TokenCipher, TokenPair, generate_key, save_tokens
from tests.channels.fake_zalo_oa import APP_ID, OA_SECRET_KEY, FakeZaloOA
from tests.e2e.gateway_process import GatewayProcess, gateway_process


@dataclass
class OAGateway:
    """A gateway with the OA channel on, and the fake OA API it answers through."""

    client: httpx.Client
    oa: FakeZaloOA
    process: GatewayProcess

    def log_tail(self, lines: int = 40) -> str:
        return self.process.log_tail(lines)


@pytest.fixture(scope="session")
def oa_gateway(
    gateway: httpx.Client, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OAGateway]:
    """A gateway process whose OA client talks to a fake OA server (stack must be up)."""
    with FakeZaloOA() as oa:
        key = generate_key()
        access, refresh = oa.issue_tokens()
        now = dt.datetime.now(dt.timezone.utc)
        # the stack's database (tests/e2e/conftest.py prepare_database set it)
        save_tokens(os.environ["TROLY_DATABASE_URL"], APP_ID,
                    TokenPair(access, refresh, now + dt.timedelta(hours=25)), TokenCipher(key))
        settings = {
            "TROLY_ZALO_OA_APP_ID": APP_ID,
            "TROLY_ZALO_OA_SECRET_KEY": OA_SECRET_KEY,
            "TROLY_ZALO_OA_APP_SECRET": oa.app_secret,
            "TROLY_ZALO_OA_TOKEN_KEY": key,
            "TROLY_ZALO_OA_API_BASE_URL": oa.url,
            "TROLY_ZALO_OA_OAUTH_BASE_URL": oa.url,
        }
        with gateway_process("OA", lambda port: settings,
                             tmp_path_factory.mktemp("zalo-oa-gateway")) as proc:
            yield OAGateway(proc.client, oa, proc)
