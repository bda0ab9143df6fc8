"""Structured one-stop procedure records (thủ tục hành chính) with a validating schema."""

from procedures.schema import (
    CHECK_PHRASE,
    ESSENTIAL_GROUP,
    RECORDS_DIR,
    Procedure,
    ProcedureLoadError,
    check_catalogue,
    load_procedure_file,
    load_procedures,
    procedure_from_dict,
    procedure_to_dict,
)

__all__ = [
    "CHECK_PHRASE",
    "ESSENTIAL_GROUP",
    "RECORDS_DIR",
    "Procedure",
    "ProcedureLoadError",
    "check_catalogue",
    "load_procedure_file",
    "load_procedures",
    "procedure_from_dict",
    "procedure_to_dict",
]
