"""Database engine from the configured URL (SQLite file by default) and schema upgrades."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_upgrade_lock = threading.Lock()
_upgraded: set[str] = set()


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL; SQLite files get their folder created and foreign keys enforced."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # pragma: no cover - driver hook
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def alembic_config(url: str):
    """Alembic configuration for ``url`` without an ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_schema(url: str) -> None:
    """Brings the database at ``url`` to the newest migration (once per process and URL)."""
    with _upgrade_lock:
        if url in _upgraded:
            return
        from alembic import command

        get_engine(url)  # creates a SQLite file's folder before Alembic connects

        command.upgrade(alembic_config(url), "head")
        _upgraded.add(url)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session on an up-to-date schema; commits on success, rolls back on error."""
    upgrade_schema(url)
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
