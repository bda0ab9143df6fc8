"""Structured data (SQLAlchemy 2): engine, models and Alembic migrations."""

from knowledge.db.engine import get_engine, session_scope, upgrade_schema
from knowledge.db.models import Base, KnowledgeGap

__all__ = ["Base", "KnowledgeGap", "get_engine", "session_scope", "upgrade_schema"]

from knowledge.db.models import ProcedureAlias, ProcedureRecord  # noqa: E402

__all__ += ["ProcedureAlias", "ProcedureRecord"]
