"""Signed identity claims: round trip and every way a claim must be refused."""

from __future__ import annotations

import base64
import json

import pytest

from core.access.claims import (
    CLAIM_AUDIENCE,
    DEV_CLAIM_SECRET,
    ClaimError,
    claim_secret_from_env,
    sign_claim,
    verify_claim,
)

SECRET = "test-claim-secret-0123456789abcdef"
NOW = 1_800_000_000


def _payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _with_payload(token: str, payload: dict) -> str:
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    part = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    version, _, signature = token.split(".")
    return f"{version}.{part}.{signature}"


def test_round_trip_keeps_identity() -> None:
    token = sign_claim(SECRET, "canbo.hagiang", "official", "ha-giang", 60, sender="s1", now=NOW)
    claim = verify_claim(SECRET, token, now=NOW + 59)
    assert (claim.username, claim.role, claim.province) == ("canbo.hagiang", "official", "ha-giang")
    assert claim.sender == "s1"
    assert claim.expires_at == NOW + 60
    assert _payload(token)["aud"] == CLAIM_AUDIENCE


def test_admin_without_province() -> None:
    claim = verify_claim(SECRET, sign_claim(SECRET, "quantri", "admin", None, now=NOW), now=NOW)
    assert claim.province is None and claim.sender is None


@pytest.mark.parametrize("token", [None, "", "abc", "v1.x", "v2.a.b", "v1.a.b.c", "x" * 5000])
def test_missing_or_malformed(token) -> None:
    with pytest.raises(ClaimError):
        verify_claim(SECRET, token, now=NOW)


def test_tampered_payload_is_rejected() -> None:
    token = sign_claim(SECRET, "canbo.hagiang", "official", "ha-giang", 60, now=NOW)
    for change in ({"role": "admin"}, {"prov": "ha-noi"}, {"exp": NOW + 10_000}):
        forged = _with_payload(token, {**_payload(token), **change})
        with pytest.raises(ClaimError, match="signature"):
            verify_claim(SECRET, forged, now=NOW)


def test_tampered_signature_is_rejected() -> None:
    token = sign_claim(SECRET, "motcua", "one_stop_staff", None, 60, now=NOW)
    flipped = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(ClaimError):
        verify_claim(SECRET, flipped, now=NOW)


def test_wrong_secret_is_rejected() -> None:
    token = sign_claim("another-secret-entirely-000000000", "quantri", "admin", None, now=NOW)
    with pytest.raises(ClaimError, match="signature"):
        verify_claim(SECRET, token, now=NOW)


def test_expired_is_rejected() -> None:
    token = sign_claim(SECRET, "quantri", "admin", None, 60, now=NOW)
    verify_claim(SECRET, token, now=NOW + 59)
    with pytest.raises(ClaimError, match="expired"):
        verify_claim(SECRET, token, now=NOW + 60)


def test_wrong_audience_is_rejected() -> None:
    token = sign_claim(SECRET, "quantri", "admin", None, now=NOW, audience="troly06-gateway")
    with pytest.raises(ClaimError, match="audience"):
        verify_claim(SECRET, token, now=NOW)


def test_login_jwt_is_not_a_claim() -> None:
    import jwt

    login = jwt.encode({"sub": "quantri", "role": "admin", "aud": CLAIM_AUDIENCE}, SECRET)
    with pytest.raises(ClaimError):
        verify_claim(SECRET, login, now=NOW)


def test_sign_refuses_unknown_role_and_empty_secret() -> None:
    with pytest.raises(ValueError):
        sign_claim(SECRET, "x", "citizen", None)
    with pytest.raises(ValueError):
        sign_claim("", "x", "admin", None)
    with pytest.raises(ClaimError):
        verify_claim("", "v1.a.b")


def test_secret_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TROLY_CLAIM_SECRET", raising=False)
    assert claim_secret_from_env() == DEV_CLAIM_SECRET
    monkeypatch.setenv("TROLY_CLAIM_SECRET", "from-env")
    assert claim_secret_from_env() == "from-env"
