"""Structured data (SQLAlchemy 2): engine, models and Alembic migrations."""

from knowledge.db.engine import get_engine, session_scope, upgrade_schema
from knowledge.db.models import Base, KnowledgeGap

__all__ = ["Base", "KnowledgeGap", "get_engine", "session_scope", "upgrade_schema"]

from knowledge.db.models import ProcedureAlias, ProcedureRecord  # noqa: E402

__all__ += ["ProcedureAlias", "ProcedureRecord"]

from knowledge.db.models import (  # noqa: E402
    IndicatorRow,
    Observation,
    ProvinceAliasRow,
    ProvinceRow,
)

__all__ += ["IndicatorRow", "Observation", "ProvinceAliasRow", "ProvinceRow"]

from knowledge.db.models import Account, AuditEntry  # noqa: E402

__all__ += ["Account", "AuditEntry"]
