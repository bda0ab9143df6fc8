"""Vietnamese plain-text answers from a procedure record.

``render(procedure, part, audience)``:

- ``citizen``: a compact checklist of the part asked (documents, steps, time, fee, where,
  online, legal_basis or all), a line sending anything unconfirmed to the one-stop desk,
  and a source line "Nguồn: ...";
- ``staff``: legal basis, every filing method with its time limit and fee, online level,
  what changed in 2025, what is still to verify, and every source with its address.

Only what the record states is said: a missing fee or time limit is reported as not
confirmed, never guessed. Plain text (no Markdown emphasis), polite ("anh/chị").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from procedures.lookup import PARTS
from procedures.schema import CHECK_PHRASE, Document, FilingMethod, Procedure
from vntext import split_sentences
from vntext.citations import short_title

Audience = Literal["citizen", "staff"]

METHOD_LABELS = {
    "online": "Nộp trực tuyến",
    "in_person": "Nộp trực tiếp",
    "post": "Nộp qua bưu chính",
}
ONLINE_KINDS = ("vneid", "national_portal", "agency_portal")
NOT_CONFIRMED = "chưa có thông tin được xác nhận"
MAX_SOURCES_CITIZEN = 2


# ------------------------------------------------------------------ helpers


def format_date(value: dt.date | str | None) -> str:
    """``2025-10-01`` → ``01/10/2025``; ``2025-10`` → ``10/2025``; ``2025`` stays."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    parts = str(value).split("-")
    return "/".join(reversed(parts))


def without_check_sentences(note: str | None) -> str:
    """A note without its "cần kiểm tra với Bộ phận một cửa" sentences (said once, at the end)."""
    if not note:
        return ""
    kept = [
        s for s in split_sentences(note) if CHECK_PHRASE.lower() not in s.lower()
    ]
    return " ".join(kept).strip()


def _bullets(items: Iterable[str], mark: str = "- ") -> list[str]:
    return [f"{mark}{item}" for item in items]


# Words that make a note sentence relevant to the time limit or to the fee.
_TOPIC_WORDS = {
    "time_limit": ("thời hạn", "ngày", "giờ", "tiếp nhận", "không nhận", "trực tuyến"),
    "fee": ("phí", "miễn", "không nhận", "trực tuyến"),
}


def _method_value(method: FilingMethod, attr: str) -> str:
    """The stated value, or "not confirmed" with the note's sentences on that topic."""
    value = getattr(method, attr)
    if value:
        return value
    sentences = split_sentences(without_check_sentences(method.note))
    words = _TOPIC_WORDS[attr]
    note = " ".join(s for s in sentences if any(w in s.lower() for w in words)).strip()
    return f"{NOT_CONFIRMED} ({note})" if note else NOT_CONFIRMED


def _document_line(doc: Document, *, staff: bool) -> str:
    parts = [doc.name]
    if doc.form:
        parts.append(f"theo {doc.form}")
    detail = [x for x in (doc.original_or_copy, doc.quantity and f"{doc.quantity} bản") if x]
    if detail:
        parts.append(", ".join(detail))
    line = " – ".join(parts)
    note = doc.note if staff else without_check_sentences(doc.note)
    if doc.check_with_one_stop and not staff:
        line += " (*)"
    if note:
        line += f" – {note}"
    return line


def _source_line(procedure: Procedure, limit: int | None) -> str:
    """ "Nguồn: …" with the sources' titles as cited to a reader (the staff's detailed view
    lists every source in full, with its address)."""
    sources = procedure.sources if limit is None else procedure.sources[:limit]
    items = []
    for source in sources:
        date, title = format_date(source.date), short_title(source.title)
        items.append(f"{title} ({date})" if date else title)
    line = "Nguồn: " + "; ".join(items)
    rest = len(procedure.sources) - len(sources)
    if rest > 0:
        line += f"; và {rest} nguồn khác"
    return line + f". Thông tin rà soát ngày {format_date(procedure.last_reviewed)}."


# ------------------------------------------------------------ what is missing


def _gaps(procedure: Procedure, part: str) -> list[str]:
    """Vietnamese names of what the part lacks or flags, for the closing check line."""
    methods = procedure.filing_methods
    gaps: list[str] = []
    if part in ("documents", "all"):
        if not procedure.documents:
            gaps.append("thành phần hồ sơ")
        elif any(d.check_with_one_stop for d in procedure.documents):
            gaps.append("bản chính hay bản sao và số lượng giấy tờ (mục có dấu *)")
    if part in ("steps", "all") and not procedure.steps:
        gaps.append("các bước thực hiện")
    if part in ("time", "all") and (not methods or any(m.time_limit is None for m in methods)):
        gaps.append("thời hạn giải quyết")
    if part in ("fee", "all") and (not methods or any(m.fee is None for m in methods)):
        gaps.append("lệ phí")
    if part == "online":
        online = [m for m in methods if m.method == "online"]
        if not online or any(m.check_with_one_stop for m in online):
            gaps.append("thời hạn, lệ phí khi nộp trực tuyến")
    if part == "legal_basis" and not procedure.legal_basis:
        gaps.append("căn cứ pháp lý")
    return gaps


def _check_lines(procedure: Procedure, parts: Sequence[str]) -> str | None:
    gaps = list(dict.fromkeys(g for part in parts for g in _gaps(procedure, part)))
    if gaps:
        return (
            f"Lưu ý: {', '.join(gaps)} chưa được xác nhận đầy đủ; anh/chị vui lòng kiểm tra "
            "với Bộ phận một cửa trước khi nộp."
        )
    flagged = procedure.to_verify or any(
        x.check_with_one_stop for x in (*procedure.filing_methods, *procedure.documents)
    )
    if flagged:
        return (
            "Lưu ý: một số chi tiết khác của thủ tục chưa được xác nhận; nếu cần chắc chắn, "
            "anh/chị vui lòng kiểm tra với Bộ phận một cửa."
        )
    return None


# ----------------------------------------------------------- citizen sections


def _documents(procedure: Procedure, *, staff: bool = False) -> list[str]:
    if not procedure.documents:
        return [f"Hồ sơ: {NOT_CONFIRMED}."]
    lines = ["Hồ sơ cần chuẩn bị:"]
    mark = "- " if staff else "☐ "
    lines += _bullets((_document_line(d, staff=staff) for d in procedure.documents), mark)
    return lines


def _steps(procedure: Procedure) -> list[str]:
    if not procedure.steps:
        return [f"Các bước thực hiện: {NOT_CONFIRMED}."]
    lines = ["Các bước thực hiện:"]
    lines += [f"{i}. {step}" for i, step in enumerate(procedure.steps, start=1)]
    return lines


def _per_method(procedure: Procedure, attr: str, title: str) -> list[str]:
    if not procedure.filing_methods:
        return [f"{title}: {NOT_CONFIRMED}."]
    lines = [f"{title}:"]
    for method in procedure.filing_methods:
        lines.append(f"- {METHOD_LABELS[method.method]}: {_method_value(method, attr)}")
    return lines


def _where(procedure: Procedure) -> list[str]:
    lines = ["Nơi nộp hồ sơ:"]
    lines += _bullets(w.label for w in procedure.where_to_file)
    lines.append(f"Cơ quan giải quyết: {procedure.implementing_agency}.")
    if procedure.portal_path:
        lines.append(f"Cách vào trên cổng/ứng dụng: {procedure.portal_path}")
    return lines


def _online(procedure: Procedure) -> list[str]:
    online = next((m for m in procedure.filing_methods if m.method == "online"), None)
    channels = [w.label for w in procedure.where_to_file if w.kind in ONLINE_KINDS]
    if online is None:
        lines = [f"Nộp trực tuyến: {NOT_CONFIRMED} cho thủ tục này."]
        if channels:
            lines.append("Kênh trực tuyến được nêu: " + "; ".join(channels) + ".")
        return lines
    lines = ["Anh/chị có thể nộp hồ sơ trực tuyến" + (":" if channels else ".")]
    lines += _bullets(channels)
    if procedure.online_level:
        lines.append(f"Mức độ dịch vụ công trực tuyến: {procedure.online_level}.")
    if procedure.portal_path:
        lines.append(f"Cách vào: {procedure.portal_path}")
    if online.time_limit:
        lines.append(f"Thời hạn khi nộp trực tuyến: {online.time_limit}")
    if online.fee:
        lines.append(f"Lệ phí khi nộp trực tuyến: {online.fee}")
    note = without_check_sentences(online.note)
    if note:
        lines.append(note)
    return lines


def _legal_basis(procedure: Procedure) -> list[str]:
    if not procedure.legal_basis:
        return [f"Căn cứ pháp lý: {NOT_CONFIRMED}."]
    lines = ["Căn cứ pháp lý:"]
    for basis in procedure.legal_basis:
        text = f"{basis.number} – {basis.title}" if basis.number else basis.title
        if basis.date:
            text += f" (ngày {format_date(basis.date)})"
        lines.append(f"- {text}")
    return lines


def _citizen(procedure: Procedure, part: str) -> list[str]:
    head = procedure.name
    if procedure.code:
        head += f" (mã thủ tục {procedure.code})"
    lines = [head]
    if part == "documents":
        lines += _documents(procedure)
    elif part == "steps":
        lines += _steps(procedure)
    elif part == "time":
        lines += _per_method(procedure, "time_limit", "Thời hạn giải quyết")
    elif part == "fee":
        lines += _per_method(procedure, "fee", "Lệ phí")
    elif part == "where":
        lines += _where(procedure)
    elif part == "online":
        lines += _online(procedure)
    elif part == "legal_basis":
        lines += _legal_basis(procedure)
    else:
        lines += _where(procedure)
        lines += _documents(procedure)
        lines += _steps(procedure)
        lines += _per_method(procedure, "time_limit", "Thời hạn giải quyết")
        lines += _per_method(procedure, "fee", "Lệ phí")
    return lines


# -------------------------------------------------------------- staff format


def _staff(procedure: Procedure, part: str) -> list[str]:
    lines = [procedure.name]
    code = procedure.code or "chưa có trên Cổng DVCQG (không tự đặt mã)"
    lines.append(f"Mã thủ tục: {code}. Định danh bản ghi: {procedure.id}.")
    lines.append(f"Lĩnh vực: {procedure.field}. Nhóm: {', '.join(procedure.group) or 'không'}.")
    if procedure.province:
        lines.append(f"Áp dụng tại: {procedure.province}.")
    lines.append(f"Cơ quan giải quyết: {procedure.implementing_agency}.")
    lines.append(
        "Mức độ dịch vụ công trực tuyến: "
        + (procedure.online_level or "chưa xác nhận (cần kiểm tra)")
        + "."
    )
    period = f"từ {format_date(procedure.valid_from)}" if procedure.valid_from else ""
    if procedure.valid_to:
        period += f" đến {format_date(procedure.valid_to)}"
    lines.append(
        f"Bản ghi áp dụng {period or 'không ghi thời điểm'}; "
        f"rà soát ngày {format_date(procedure.last_reviewed)}."
    )
    lines.append("")
    lines += _legal_basis(procedure)
    lines.append("")
    lines.append("Cách nộp, thời hạn và lệ phí:")
    if not procedure.filing_methods:
        lines.append(f"- {NOT_CONFIRMED}")
    for method in procedure.filing_methods:
        time = method.time_limit or "chưa xác nhận"
        fee = method.fee or "chưa xác nhận"
        flag = " [cần kiểm tra với Bộ phận một cửa]" if method.check_with_one_stop else ""
        lines.append(f"- {METHOD_LABELS[method.method]}{flag}")
        lines.append(f"  Thời hạn: {time}")
        lines.append(f"  Lệ phí: {fee}")
        if method.note:
            lines.append(f"  Ghi chú: {method.note}")
    lines.append("Nơi nộp: " + "; ".join(w.label for w in procedure.where_to_file) + ".")
    if procedure.portal_path:
        lines.append(f"Đường dẫn: {procedure.portal_path}")
    if part in ("documents", "all"):
        lines.append("")
        lines += _documents(procedure, staff=True)
    if part in ("steps", "all"):
        lines.append("")
        lines += _steps(procedure)
    if part == "all":
        if procedure.applicants:
            lines += ["", "Đối tượng thực hiện:", *_bullets(procedure.applicants)]
        if procedure.conditions:
            lines += ["", "Yêu cầu, điều kiện:", *_bullets(procedure.conditions)]
        if procedure.result:
            lines += ["", f"Kết quả: {procedure.result}"]
        if procedure.notes:
            lines += ["", "Ghi chú:", *_bullets(procedure.notes)]
    lines.append("")
    if procedure.changes_2025:
        lines += ["Thay đổi năm 2025:", *_bullets(procedure.changes_2025)]
    else:
        lines.append("Thay đổi năm 2025: bản ghi không nêu thay đổi nào.")
    if procedure.to_verify:
        lines += ["", "Cần kiểm tra với Bộ phận một cửa:", *_bullets(procedure.to_verify)]
    lines += ["", "Nguồn:"]
    for source in procedure.sources:
        date = f" ({format_date(source.date)})" if source.date else ""
        lines.append(f"- {source.id}: {source.title}{date} – {source.url}")
    return lines


def render(procedure: Procedure, part: str = "all", audience: Audience = "citizen") -> str:
    """Plain-text Vietnamese answer about ``part`` of ``procedure`` for ``audience``."""
    return render_parts(procedure, (part,), audience)


def render_parts(
    procedure: Procedure, parts: Sequence[str], audience: Audience = "citizen"
) -> str:
    """The answer about each of ``parts`` (a question often asks two: "cần giấy tờ gì và nộp
    ở đâu"), under one heading and one source line."""
    for part in parts:
        if part not in PARTS:
            raise ValueError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")
    parts = ("all",) if not parts or "all" in parts else tuple(dict.fromkeys(parts))
    if audience == "staff":
        return "\n".join(_staff(procedure, parts[0] if len(parts) == 1 else "all")).strip()
    if audience != "citizen":
        raise ValueError(f"unknown audience {audience!r}; use 'citizen' or 'staff'")
    lines = _citizen(procedure, parts[0])
    for part in parts[1:]:
        lines += _citizen(procedure, part)[1:]  # without the heading
    if not {"where", "all"} & set(parts):
        # who decides, in one line, whatever part is asked: it changed for many procedures
        # in 2025 (judicial records and driving licences to the police, no district level)
        lines.insert(1, f"Cơ quan giải quyết: {procedure.implementing_agency}.")
    check = _check_lines(procedure, parts)
    if check:
        lines.append(check)
    lines.append(_source_line(procedure, MAX_SOURCES_CITIZEN))
    return "\n".join(lines)


def render_choice(candidates: Iterable[Procedure]) -> str:
    """Question asking the citizen which of several procedures they mean."""
    items = list(candidates)
    lines = ["Anh/chị đang hỏi về thủ tục nào dưới đây ạ?"]
    lines += [f"{i}. {p.name}" for i, p in enumerate(items, start=1)]
    return "\n".join(lines)


def stated_text(procedure: Procedure) -> str:
    """What the record states as fact — not its ``to_verify`` list, which names what it does
    not know: a case the question names (abroad, a foreigner) is looked for here."""
    parts: list[str] = [procedure.name, *procedure.aliases, procedure.implementing_agency]
    parts += [place.label for place in procedure.where_to_file]
    parts += [
        " ".join(x or "" for x in (m.time_limit, m.fee, m.note)) for m in procedure.filing_methods
    ]
    parts += list(procedure.steps) + list(procedure.applicants) + list(procedure.conditions)
    parts += [f"{d.name} {d.note or ''}" for d in procedure.documents]
    parts += [procedure.result or "", *procedure.notes, *procedure.changes_2025]
    return "\n".join(p for p in parts if p)
