"""The officials' query dialogue as plain functions: what a question sets, when to stop, what
to ask next, the query the slots describe and the answer (testable without Rasa).

Slots are read from a mapping and returned as ``{name: value}`` updates; ``actions.indicators``
turns them into Rasa events.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.access.audit import record_safely
from core.access.claims import Claim
from core.access.permissions import is_allowed
from core.geo.provinces import Province, load_provinces
from indicators.answer import IndicatorQuery, answer_query
from indicators.figures.indicators import Indicator, load_catalogue
from indicators.question import IndicatorQuestion, find_indicator_in, parse_question
from indicators.resolve import Period, find_indicator, period_label
from vntext import matching_key

logger = logging.getLogger(__name__)

FORM = "indicator_form"
INDICATOR_SLOT = "indicator"
PROVINCE_SLOT = "province"
KIND_SLOT = "indicator_kind"
COMPARE_SLOT = "compare_provinces"
PERIOD_SLOT = "indicator_period"
TOP_SLOT = "indicator_top_n"
# kind value meaning "already explained why this question cannot be answered"
NOTHING_TO_ANSWER = "none"
CANCEL_WORDS = {"thoi", "huy", "dung", "dung lai", "bo qua", "khong can", "thoi khong can",
                "thoi khong", "cancel", "stop", "khong", "thoi khong can nua", "khong can nua",
                "thoi bo qua", "huy bo", "thoi nhe", "thoi a"}
# kind values meaning "nothing to look up": already explained / stopped by the user /
# the user asked something else while the form waited
CANCELLED = "cancelled"
INTERRUPTED = "interrupted"
# a reply this sure to be another topic ends the form instead of being read as an answer
OTHER_TOPIC_CONFIDENCE = 0.8
MIN_QUESTION_WORDS = 3
FORM_INTENTS = {"ask_indicator", "nlu_fallback", "affirm", "deny", "choose_topic"}
MAX_BUTTONS = 6
ASK_PROVINCE_TEXT = (
    "Anh/chị muốn xem số liệu của tỉnh, thành phố nào? (ví dụ: Hà Giang, Bắc Ninh, TP.HCM — "
    "gõ \u201cthôi\u201d để dừng)"
)

REFUSAL_TEXT = (
    "Số liệu chỉ tiêu Đề án 06 của các tỉnh chỉ dành cho cán bộ đã đăng nhập bằng tài khoản "
    "được cấp, nên tôi không thể cung cấp số liệu trong cuộc trò chuyện này. Nếu anh/chị là "
    "cán bộ: bấm \u201cCán bộ đăng nhập\u201d trên khung chat ở trang web của đơn vị, đăng "
    "nhập bằng tài khoản được cấp rồi hỏi lại. Người dân có thể xem thông tin công khai tại "
    "Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."
)
EXPIRED_TEXT = (
    "Phiên đăng nhập cán bộ của anh/chị đã hết hạn hoặc không hợp lệ, nên tôi chưa trả lời số "
    "liệu. Anh/chị vui lòng đăng nhập lại (nút \u201cCán bộ đăng nhập\u201d) rồi hỏi lại."
)
ROLE_TEXT = (
    "Tài khoản của anh/chị (bộ phận một cửa) dùng để tra cứu thủ tục, không có quyền xem số "
    "liệu chỉ tiêu Đề án 06. Nếu cần, anh/chị liên hệ quản trị hệ thống của tỉnh."
)
STOPPED_TEXT = "Dạ, tôi đã dừng tra cứu số liệu. Khi cần, anh/chị cứ hỏi lại ạ."
INTERRUPTED_TEXT = (
    "Dạ, tôi đã dừng tra cứu số liệu vì câu vừa rồi là một câu hỏi khác. Anh/chị vui lòng "
    "gửi lại câu hỏi đó để tôi trả lời."
)
ASK_INDICATOR_TEXT = "Anh/chị muốn xem chỉ tiêu nào? Chọn một chỉ tiêu hoặc gõ tên chỉ tiêu:"
ASK_INDICATOR_NO_DATA = (
    "Anh/chị muốn xem chỉ tiêu nào (ví dụ: tỷ lệ dịch vụ công trực tuyến, tỷ lệ kích hoạt "
    "định danh điện tử, tỷ lệ số hóa hồ sơ)? Gõ \u201cthôi\u201d để dừng."
)


FAILED_TEXT = (
    "Xin lỗi anh/chị, hệ thống số liệu đang gặp sự cố nên tôi chưa trả lời được. Anh/chị "
    "vui lòng thử lại sau ít phút."
)
Slots = Mapping[str, Any]
# words that ask for a number rather than how to do something
_FIGURE_WORDS = re.compile(
    r"\b(?:ty le|so lieu|bao nhieu|dat|chi tieu|xep thu|so sanh|bieu do|phan tram|ket qua|"
    r"thong ke|so luong|da co)\b|%"
)
_COMPARE_WORDS = re.compile(
    r"\b(?:so sanh|ty le|so lieu|phan tram|chi tieu|xep thu|thong ke|so luong|cao hon|"
    r"thap hon|hon kem|chenh lech)\b|%"
)


def province_by_code(code: str | None) -> Province | None:
    if not code:
        return None
    try:
        return load_provinces().by_code(code)
    except KeyError:
        return None


def indicator_code(*texts: str) -> str | None:
    """The indicator any text names exactly (code, name, synonym), else one found inside a
    text (texts tried in order)."""
    for finder in (find_indicator, find_indicator_in):
        for text in texts:
            if text and (indicator := finder(text)) is not None:
                return indicator.code
    return None


def province_code(*texts: str) -> str | None:
    """A text that is a unit code, else the first province named in a text."""
    for text in texts:
        if province_by_code(text) is not None:
            return text
        mentions = load_provinces().find(text)
        if mentions:
            return mentions[0].province.code
    return None


def _period_value(period: Period | None) -> str | None:
    return f"{period.start.isoformat()}/{period.end.isoformat()}" if period else None


def _period_from(value: Any) -> Period | None:
    try:
        start, end = (dt.date.fromisoformat(x) for x in str(value).split("/"))
    except (TypeError, ValueError):
        return None
    return Period(start, end, period_label(start, end))


def may_read_indicators(identity: Claim | None) -> bool:
    """Whether this identity may see indicator figures."""
    return identity is not None and is_allowed(identity, "read", "indicators")


def question_slots(q: IndicatorQuestion, slots: Slots, identity: Claim) -> dict[str, Any]:
    """Slots from a newly asked question; what it leaves out is kept from the conversation
    ("còn Hà Nội thì sao?" keeps the indicator and what was asked about it)."""
    updates: dict[str, Any] = {}
    previous_kind = slots.get(KIND_SLOT)
    if q.indicator is not None:
        updates[INDICATOR_SLOT] = q.indicator.code
        updates[PERIOD_SLOT] = _period_value(q.period)
        kind = q.kind
    elif not q.follow_up:
        # a new question that names no indicator: ask for it rather than reuse the last one
        updates[INDICATOR_SLOT] = None
        updates[PERIOD_SLOT] = _period_value(q.period)
        kind = q.kind
    else:
        if q.period is not None:
            updates[PERIOD_SLOT] = _period_value(q.period)
        if q.kind != "value" or previous_kind in (None, NOTHING_TO_ANSWER):
            kind = q.kind
        else:
            kind = previous_kind
    codes = [p.code for p in q.provinces]
    if len(codes) >= 2:
        updates[PROVINCE_SLOT], updates[COMPARE_SLOT] = codes[0], codes
    elif codes:
        updates[PROVINCE_SLOT], updates[COMPARE_SLOT] = codes[0], None
        if kind == "compare":
            kind = "value"
    elif q.own_province or not q.follow_up or not slots.get(PROVINCE_SLOT):
        # a new question naming no province is about the asker's own province (an account
        # without one is asked); only a follow-up keeps the province discussed before
        own = load_provinces().get(identity.province) if identity.province else None
        updates[PROVINCE_SLOT], updates[COMPARE_SLOT] = (own.code if own else None), None
    if kind == "compare" and not codes and not (q.follow_up and slots.get(COMPARE_SLOT)):
        kind = "top"
    updates[KIND_SLOT] = kind
    updates[TOP_SLOT] = float(q.top_n) if q.top_n else None
    updates["chart_over_time"] = q.chart_over_time
    return updates


def problem_text(q: IndicatorQuestion) -> str | None:
    """Why the question cannot be answered as asked (absurd period, unknown province)."""
    if q.problem:
        return q.problem
    if q.unknown_places:
        name = q.unknown_places[0][:60]
        return (
            f"Tôi không tìm thấy tỉnh/thành phố \u201c{name}\u201d trong danh mục 34 tỉnh, "
            "thành phố hiện hành và 63 đơn vị trước ngày 01/07/2025. Anh/chị kiểm tra lại tên "
            "(ví dụ: Hà Giang, Tuyên Quang, TP.HCM, Bắc Ninh) rồi hỏi lại."
        )
    return None


@dataclass(frozen=True)
class Opening:
    """What the question that opens the form decides: slot updates, or a reason to stop."""

    updates: dict[str, Any]
    problem: str | None = None


def open_form(text: str, slots: Slots, identity: Claim) -> Opening:
    """The whole question decides when the form opens (entities may cover only part of it,
    and values left from earlier turns must not override what was just asked)."""
    q = parse_question(text)
    problem = problem_text(q)
    if problem:
        return Opening({KIND_SLOT: NOTHING_TO_ANSWER}, problem)
    updates = question_slots(q, slots, identity)
    merged = {**slots, **updates}
    updates.update(canonical_leftovers(merged, set(updates)))
    return Opening(updates)


def stop_kind(requested: str, text: str, intent: str | None, confidence: float) -> str | None:
    """CANCELLED for "thôi"/"hủy"…; INTERRUPTED for a confident other topic that does not
    answer the question asked; None to go on."""
    if matching_key(text) in CANCEL_WORDS:
        return CANCELLED
    if intent in FORM_INTENTS or confidence < OTHER_TOPIC_CONFIDENCE or \
            len(text.split()) < MIN_QUESTION_WORDS:
        return None  # a short reply ("Atlantis") is a (wrong) answer, not a new topic
    if requested == PROVINCE_SLOT and province_code(text):
        return None
    if requested == INDICATOR_SLOT and indicator_code(text):
        return None
    return INTERRUPTED


def is_figure_question(text: str) -> bool:
    """Whether ``text`` asks for a figure: it names an indicator, or asks for a rank, a
    comparison, a league table or a chart ("Hà Giang" alone, or a procedure, is not one)."""
    if not text or len(text) > 2000:
        return False
    q = parse_question(text)
    key = matching_key(text, keep="%")
    if q.kind == "compare":
        # two places named are a comparison only with words that ask for one: a citizen's
        # letter often names two ("quê ở Bình Thuận, đang ở TP.HCM") and asks no figure
        return bool(_COMPARE_WORDS.search(key))
    if q.kind in ("rank", "top", "chart", "trend"):
        return True
    return q.indicator is not None and bool(_FIGURE_WORDS.search(key))


def is_new_question(text: str, intent: str | None) -> bool:
    """An indicator question that names an indicator or what is asked (not a bare reply
    such as "Hà Nội")."""
    if intent != "ask_indicator" or len(text.split()) < 4:
        return False
    q = parse_question(text)
    return q.indicator is not None or q.kind != "value"


def canonical_leftovers(slots: Slots, decided: set[str]) -> dict[str, Any]:
    """Indicator/province values the question did not set, made canonical or cleared (an
    entity such as "trực tuyến" is no indicator code)."""
    updates: dict[str, Any] = {}
    indicator = slots.get(INDICATOR_SLOT)
    if INDICATOR_SLOT not in decided and indicator:
        updates[INDICATOR_SLOT] = indicator_code(str(indicator))
    province = slots.get(PROVINCE_SLOT)
    if PROVINCE_SLOT not in decided and province and province_by_code(province) is None:
        updates[PROVINCE_SLOT] = province_code(str(province))
    return updates


def required_slots(identity: Claim | None, slots: Slots) -> list[str]:
    """What the form still has to ask, by the kind of question."""
    if not may_read_indicators(identity):
        return []  # nothing to ask: the answer action explains the refusal
    kind = slots.get(KIND_SLOT) or "value"
    if kind in (NOTHING_TO_ANSWER, CANCELLED, INTERRUPTED):
        return []
    if kind == "top" or (kind in ("compare", "chart") and slots.get(COMPARE_SLOT)):
        return [INDICATOR_SLOT]
    if kind == "chart" and not slots.get(PROVINCE_SLOT):
        return [INDICATOR_SLOT]
    return [INDICATOR_SLOT, PROVINCE_SLOT]


def unknown_indicator_text(text: str) -> str:
    return f"Tôi chưa nhận ra chỉ tiêu \u201c{text[:60]}\u201d trong danh mục."


def unknown_province_text(text: str) -> str:
    return (
        f"Tôi chưa nhận ra tỉnh/thành phố trong \u201c{text[:60]}\u201d. Anh/chị gõ tên "
        "tỉnh (ví dụ: Hà Giang, Bắc Ninh, TP.HCM) hoặc gõ \u201cthôi\u201d để dừng."
    )


def indicator_buttons(url: str, province: Province | None) -> list[dict[str, str]]:
    """Indicators that have figures (rates first), as buttons; none when the query fails."""
    from indicators.query import indicators_with_data

    try:
        indicators: list[Indicator] = indicators_with_data(url, province)
    except Exception:
        logger.exception("could not list indicators with data")
        return []
    rates = [i for i in indicators if i.kind == "rate"] + [
        i for i in indicators if i.kind != "rate"]
    return [{"title": i.name, "payload": i.name} for i in rates[:MAX_BUTTONS]]


def build_query(slots: Slots) -> IndicatorQuery | None:
    """The query the slots describe, or None when a required piece is missing."""
    code = slots.get(INDICATOR_SLOT)
    try:
        indicator = load_catalogue().indicator(code) if code else None
    except KeyError:
        indicator = None
    if indicator is None:
        return None
    kind = slots.get(KIND_SLOT) or "value"
    compare_codes = slots.get(COMPARE_SLOT) or []
    provinces: list[Province] = []
    if kind in ("compare", "chart") and compare_codes:
        provinces = [p for p in (province_by_code(c) for c in compare_codes) if p is not None]
    elif kind != "top":
        province = province_by_code(slots.get(PROVINCE_SLOT))
        if province is not None:
            provinces = [province]
        elif kind != "chart":
            return None
    top = slots.get(TOP_SLOT)
    return IndicatorQuery(
        kind=kind,
        indicator=indicator,
        provinces=tuple(provinces),
        period=_period_from(slots.get(PERIOD_SLOT)),
        top_n=int(top) if top else None,
    )


@dataclass(frozen=True)
class IndicatorReply:
    """What to say (and show) for an indicator turn, and slot updates."""

    text: str | None
    image: str | None = None
    updates: dict[str, Any] | None = None


def audit(url: str, identity: Claim | None, action: str, detail: dict[str, Any]) -> None:
    """Writes one audit entry; a database problem never breaks the reply."""
    record_safely(
        url,
        identity.username if identity else "anonymous",
        identity.role if identity else None,
        action,
        detail,
    )


def answer(
    identity: Claim | None,
    problem: str | None,
    slots: Slots,
    *,
    database_url: str,
    audit_url: str,
    charts_dir: Path,
) -> IndicatorReply:
    """The reply to an indicator turn: refusal, stop, figure (with chart), each audited."""
    if identity is None:
        audit(audit_url, None, "indicator_query_refused", {"reason": problem or "no_login"})
        return IndicatorReply(EXPIRED_TEXT if problem else REFUSAL_TEXT)
    if not may_read_indicators(identity):
        audit(audit_url, identity, "indicator_query_refused", {"reason": "role"})
        return IndicatorReply(ROLE_TEXT)
    kind = slots.get(KIND_SLOT)
    if kind in (NOTHING_TO_ANSWER, CANCELLED, INTERRUPTED):
        text = None if kind == NOTHING_TO_ANSWER else (
            STOPPED_TEXT if kind == CANCELLED else INTERRUPTED_TEXT)
        return IndicatorReply(text, updates={KIND_SLOT: None})
    query = build_query(slots)
    if query is None:
        return IndicatorReply(STOPPED_TEXT)
    try:
        reply = answer_query(
            database_url, query, chart_over_time=bool(slots.get("chart_over_time"))
        )
    except Exception:
        logger.exception("indicator query failed")
        return IndicatorReply(FAILED_TEXT)
    image = None
    if reply.chart_png:
        from indicators.chart_store import chart_url, save_chart

        try:
            image = chart_url(save_chart(reply.chart_png, charts_dir))
        except OSError:
            logger.exception("could not store the chart")
    audit(audit_url, identity, "indicator_query", {
        "kind": query.kind,
        "indicator": query.indicator.code,
        "provinces": [p.code for p in query.provinces],
        "period": query.period.label if query.period else None,
        "cited": list(reply.cited),
        "chart": image is not None,
    })
    return IndicatorReply(reply.text, image)
