"""Alembic environment: the URL comes from the caller's config (see core.db.engine)."""

from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy import engine_from_config, pool, text

from core.db.base import Base

# Every domain's tables register on Base when its models module is imported; named here (not
# imported statically) so that core does not depend on the domains built on it.
MODEL_MODULES = (
    "core.access.models", "curation.models", "procedures.models", "indicators.models",
    "feedback.models", "handoff.models", "analytics.models", "privacy.models",
    "oa_tokens.models",
)
for _module in MODEL_MODULES:
    importlib.import_module(_module)

config = context.config
target_metadata = Base.metadata
# PostgreSQL advisory lock key held while migrating: processes starting together (gateway,
# action server) would otherwise all try to create the same tables on a fresh database.
MIGRATION_LOCK_KEY = 602025


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        if connection.dialect.name == "postgresql":
            # session-level lock, released when the connection closes (NullPool); the others
            # wait here and then find the schema already at head
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
