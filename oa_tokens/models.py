"""Table of the OA tokens: one row per Zalo app, both tokens encrypted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utc_now


class OATokenRow(Base):
    """The newest access/refresh token pair of one Zalo app linked to the OA."""

    __tablename__ = "zalo_oa_tokens"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Fernet ciphertexts (oa_tokens.crypto), never the tokens themselves
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    access_expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    refresh_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
