"""Authenticated encryption of the tokens at rest (Fernet: AES-128-CBC + HMAC-SHA256).

A database dump or backup alone must not hand out a token that can message every citizen who
wrote to the OA; the key lives in the environment (TROLY_ZALO_OA_TOKEN_KEY), not beside the
data.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class InvalidTokenKey(ValueError):
    """The key is not a Fernet key, or a stored value was not encrypted with it."""


def generate_key() -> str:
    """A new random key (32 bytes, URL-safe base64) for TROLY_ZALO_OA_TOKEN_KEY."""
    return Fernet.generate_key().decode("ascii")


class TokenCipher:
    """Encrypts and decrypts token strings with one key."""

    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.strip().encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise InvalidTokenKey(
                "TROLY_ZALO_OA_TOKEN_KEY must be a Fernet key (32 bytes, URL-safe base64)"
            ) from exc

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as exc:
            raise InvalidTokenKey(
                "the stored OA token cannot be decrypted with TROLY_ZALO_OA_TOKEN_KEY "
                "(wrong key, or the value was altered)"
            ) from exc
