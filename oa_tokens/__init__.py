"""The Zalo Official Account's OAuth tokens, kept in the database encrypted: the access token
expires after about a day and its refresh token is single-use, so the newest pair must survive
a restart and be shared by every gateway process."""

from oa_tokens.crypto import InvalidTokenKey, TokenCipher, generate_key
from oa_tokens.store import TokenPair, load_tokens, save_tokens

__all__ = [
    "InvalidTokenKey",
    "TokenCipher",
    "TokenPair",
    "generate_key",
    "load_tokens",
    "save_tokens",
]
