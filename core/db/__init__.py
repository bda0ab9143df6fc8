"""Structured data (SQLAlchemy 2): engine, sessions, the declarative base and the one
Alembic history. Each domain keeps its tables in its own ``models`` module."""

from core.db.base import Base
from core.db.engine import get_engine, session_scope, upgrade_schema

__all__ = ["Base", "get_engine", "session_scope", "upgrade_schema"]
