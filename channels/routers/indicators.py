"""Officials' data management: import a CSV/XLSX of figures, approve or reject, list pending.

Write rights: officials for their own province, admins for all (checked in
``indicators.changes``, which also writes every attempt to the audit log).

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" \\
         --data-binary @so-lieu.csv "http://127.0.0.1:8000/api/indicators/import?filename=so-lieu.csv"
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from channels.auth import CurrentUser, Identity
from channels.dependencies import SettingsDep
from channels.errors import error_response
from channels.schemas import ErrorResponse
from core.config import Settings
from indicators.changes import Actor, PermissionDenied, import_figures, proposed
from indicators.changes import set_status as change_status
from indicators.importer import ImportValidationError

router = APIRouter(prefix="/api/indicators", tags=["indicators"])

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SUFFIX_BY_TYPE = {
    "text/csv": ".csv",
    "application/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
ERRORS = {401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
          404: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
          422: {"model": ErrorResponse}}


def _actor(identity: Identity, request: Request) -> Actor:
    return Actor(
        username=identity.username,
        role=identity.role,
        province=identity.province,
        ip=request.client.host if request.client else None,
        request_id=getattr(request.state, "request_id", None),
    )


def _forbidden(request: Request, exc: PermissionDenied) -> JSONResponse:
    return error_response(request, 403, "forbidden", exc.vi, exc.en)


def _suffix(filename: str | None, content_type: str) -> str | None:
    if filename and Path(filename).suffix.lower() in (".csv", ".xlsx"):
        return Path(filename).suffix.lower()
    return SUFFIX_BY_TYPE.get(content_type.split(";")[0].strip().lower())


@router.post("/import", responses=ERRORS)
async def import_file(
    request: Request,
    identity: CurrentUser,
    settings: SettingsDep,
    filename: Annotated[str | None, Query(max_length=200)] = None,
    approve: bool = False,
) -> Any:
    """Imports the request body (a .csv or .xlsx in the documented template), all or nothing."""
    suffix = _suffix(filename, request.headers.get("content-type", ""))
    if suffix is None:
        return error_response(
            request, 422, "unsupported_file",
            "Chỉ nhận tệp .csv hoặc .xlsx theo mẫu (đặt Content-Type hoặc ?filename=…).",
            "Only .csv or .xlsx files (set Content-Type or ?filename=).",
        )
    declared = request.headers.get("content-length", "")
    too_large = declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES
    body = b"" if too_large else await request.body()
    if too_large or len(body) > MAX_UPLOAD_BYTES:
        return error_response(
            request, 413, "file_too_large",
            "Tệp lớn hơn 5 MB. Anh/chị chia tệp thành nhiều phần rồi nhập lại.",
            "File larger than 5 MB.",
        )
    if not body:
        return error_response(request, 422, "empty_file", "Tệp rỗng, chưa có số liệu nào.",
                              "Empty file.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(body)
        try:
            result = await asyncio.to_thread(
                import_figures, settings.database.url, path, _actor(identity, request),
                approve=approve, source=filename or path.name,
                audit_url=settings.database.audit_url,
            )
        except ImportValidationError as exc:
            return error_response(
                request, 422, "invalid_rows",
                "Tệp có dòng không hợp lệ, chưa lưu dòng nào: "
                + "; ".join(f"dòng {e.row}, cột {e.column}: {e.vi}" for e in exc.errors[:20]),
                "Invalid rows; nothing stored.",
                fields=[f"row {e.row}: {e.column}" for e in exc.errors],
            )
        except PermissionDenied as exc:
            return _forbidden(request, exc)
    return {
        "rows": result.rows, "created": result.created, "unchanged": result.unchanged,
        "ids": result.ids, "status": "approved" if approve else "proposed",
    }


@router.get("/proposed", responses=ERRORS)
async def list_proposed(
    request: Request,
    identity: CurrentUser,
    settings: SettingsDep,
) -> Any:
    """Figures awaiting approval that this account may review (an official: their own
    province; admins: all; one-stop staff: none)."""
    if identity.role not in ("official", "admin"):
        return {"items": []}
    actor = _actor(identity, request)
    items = await asyncio.to_thread(proposed, settings.database.url, visible_to=actor)
    return {"items": items}


async def _set(request: Request, identity: Identity, settings: Settings,
               observation_id: int, status: str) -> Any:
    try:
        row = await asyncio.to_thread(
            change_status, settings.database.url, observation_id, status,
            _actor(identity, request), audit_url=settings.database.audit_url,
        )
    except LookupError:
        return error_response(request, 404, "not_found",
                              f"Không có số liệu mã {observation_id}.", "No such figure.")
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    return {"id": row.id, "status": row.status, "version": row.version}


@router.post("/{observation_id}/approve", responses=ERRORS)
async def approve_figure(
    observation_id: int,
    request: Request,
    identity: CurrentUser,
    settings: SettingsDep,
) -> Any:
    """Approves a figure of the official's province (admins: any)."""
    return await _set(request, identity, settings, observation_id, "approved")


@router.post("/{observation_id}/reject", responses=ERRORS)
async def reject_figure(
    observation_id: int,
    request: Request,
    identity: CurrentUser,
    settings: SettingsDep,
) -> Any:
    """Rejects a figure; answers fall back to the previous approved version."""
    return await _set(request, identity, settings, observation_id, "rejected")
