"""Reading and writing the token pair (synchronous: callers on an event loop use a thread)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.db import session_scope
from core.db.base import utc_now
from oa_tokens.crypto import TokenCipher
from oa_tokens.models import OATokenRow


@dataclass(frozen=True)
class TokenPair:
    """An access token, the refresh token issued with it and when each expires."""

    access_token: str
    refresh_token: str
    access_expires_at: dt.datetime
    refresh_expires_at: dt.datetime | None = None

    def access_expires_within(self, seconds: float, now: dt.datetime | None = None) -> bool:
        moment = now or utc_now()
        return self.access_expires_at - moment <= dt.timedelta(seconds=seconds)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.timezone.utc)


def save_tokens(url: str, app_id: str, pair: TokenPair, cipher: TokenCipher) -> None:
    """Replaces the app's pair (the old refresh token is spent once a new one is issued)."""
    with session_scope(url) as session:
        row = session.get(OATokenRow, app_id) or OATokenRow(app_id=app_id)
        row.access_token = cipher.encrypt(pair.access_token)
        row.refresh_token = cipher.encrypt(pair.refresh_token)
        row.access_expires_at = pair.access_expires_at
        row.refresh_expires_at = pair.refresh_expires_at
        row.updated_at = utc_now()
        session.add(row)


def load_tokens(url: str, app_id: str, cipher: TokenCipher) -> TokenPair | None:
    """The app's pair, decrypted; None when none was stored (raises InvalidTokenKey when
    the key does not open it)."""
    with session_scope(url) as session:
        row = session.get(OATokenRow, app_id)
        if row is None:
            return None
        return TokenPair(
            access_token=cipher.decrypt(row.access_token),
            refresh_token=cipher.decrypt(row.refresh_token),
            access_expires_at=_aware(row.access_expires_at) or utc_now(),
            refresh_expires_at=_aware(row.refresh_expires_at),
        )
