"""Officials' query mode: Đề án 06 indicators for a verified staff identity only.

``indicator_form`` collects what the question leaves out (the indicator; the province when the
official has none), ``action_answer_indicator`` answers with figure, date and source, a chart
when asked, and writes every query (and every refusal) to the audit log. A thin adapter over
``knowledge.indicators``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import check_identity, verified_identity
from knowledge.access.claims import Claim
from knowledge.access.permissions import is_allowed
from knowledge.figures.indicators import Indicator, load_catalogue
from knowledge.geo.provinces import Province, load_provinces
from knowledge.indicators.answer import IndicatorQuery, answer_query
from knowledge.indicators.question import IndicatorQuestion, find_indicator_in, parse_question
from knowledge.indicators.resolve import Period, find_indicator, period_label
from knowledge.settings import get_settings
from vntext import fold_accents

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


def _url() -> str:
    return get_settings().sqlalchemy_url


def _folded(text: str) -> str:
    """Lower case, no diacritics, no punctuation: "Thôi, không cần nữa!" → "thoi khong can nua"."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold_accents((text or "").lower())).split())


def _province(code: str | None) -> Province | None:
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
        if _province(text) is not None:
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


def approved_figure_count() -> int:
    """Approved observations in the database (health report; creates the schema if new)."""
    from sqlalchemy import func, select

    from knowledge.db import session_scope
    from knowledge.db.models import Observation

    with session_scope(_url()) as session:
        stmt = select(func.count()).select_from(Observation).where(
            Observation.status == "approved")
        return int(session.scalar(stmt) or 0)


def audit(identity: Claim | None, action: str, detail: dict[str, Any]) -> None:
    """Writes one audit entry; a database problem never breaks the reply."""
    try:
        from knowledge.access.audit import record

        record(
            get_settings().audit_url,
            identity.username if identity else "anonymous",
            identity.role if identity else None,
            action,
            detail,
        )
    except Exception:
        logger.exception("could not write the audit log")


def may_read_indicators(identity: Claim | None) -> bool:
    """Whether this identity may see indicator figures."""
    return identity is not None and is_allowed(identity, "read", "indicators")


def question_events(q: IndicatorQuestion, tracker: Tracker, identity: Claim) -> list[EventType]:
    """Slots from a newly asked question; what it leaves out is kept from the conversation
    ("còn Hà Nội thì sao?" keeps the indicator and what was asked about it)."""
    events: list[EventType] = []
    previous_kind = tracker.get_slot(KIND_SLOT)
    if q.indicator is not None:
        events.append(SlotSet(INDICATOR_SLOT, q.indicator.code))
        events.append(SlotSet(PERIOD_SLOT, _period_value(q.period)))
        kind = q.kind
    elif not q.follow_up:
        # a new question that names no indicator: ask for it rather than reuse the last one
        events += [SlotSet(INDICATOR_SLOT, None), SlotSet(PERIOD_SLOT, _period_value(q.period))]
        kind = q.kind
    else:
        if q.period is not None:
            events.append(SlotSet(PERIOD_SLOT, _period_value(q.period)))
        if q.kind != "value" or previous_kind in (None, NOTHING_TO_ANSWER):
            kind = q.kind
        else:
            kind = previous_kind
    codes = [p.code for p in q.provinces]
    if len(codes) >= 2:
        events += [SlotSet(PROVINCE_SLOT, codes[0]), SlotSet(COMPARE_SLOT, codes)]
    elif codes:
        events += [SlotSet(PROVINCE_SLOT, codes[0]), SlotSet(COMPARE_SLOT, None)]
        if kind == "compare":
            kind = "value"
    elif q.own_province or not q.follow_up or not tracker.get_slot(PROVINCE_SLOT):
        # a new question naming no province is about the asker's own province (an account
        # without one is asked); only a follow-up keeps the province discussed before
        own = load_provinces().get(identity.province) if identity.province else None
        events += [SlotSet(PROVINCE_SLOT, own.code if own else None),
                   SlotSet(COMPARE_SLOT, None)]
    if kind == "compare" and not codes and not (q.follow_up and tracker.get_slot(COMPARE_SLOT)):
        kind = "top"
    events.append(SlotSet(KIND_SLOT, kind))
    events.append(SlotSet(TOP_SLOT, float(q.top_n) if q.top_n else None))
    events.append(SlotSet("chart_over_time", q.chart_over_time))
    return events


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


class ValidateIndicatorForm(FormValidationAction):
    """Reads the question when the form opens, then checks each answer to its questions."""

    def name(self) -> str:
        return "validate_indicator_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity = verified_identity(tracker)
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        events: list[EventType] = []
        if requested:
            stop = self._stop_kind(tracker, requested, text)
            if stop:
                return [SlotSet(requested, None), SlotSet(KIND_SLOT, stop),
                        SlotSet("requested_slot", None)]
            if self._is_new_question(tracker, text):
                requested = None  # a whole new question typed while the form waited
        if requested is None:
            # the form opens: the whole question decides (entities may cover only part of
            # it, and values left from earlier turns must not override what was just asked)
            if not may_read_indicators(identity):
                return [SlotSet("requested_slot", None)]
            q = parse_question(text)
            problem = problem_text(q)
            if problem:
                dispatcher.utter_message(text=problem)
                return [SlotSet(KIND_SLOT, NOTHING_TO_ANSWER), SlotSet("requested_slot", None)]
            events = question_events(q, tracker, identity)
            tracker.add_slots(events)
            leftovers = self._canonical_leftovers(tracker, {e["name"] for e in events})
            tracker.add_slots(leftovers)
            return events + leftovers + [await self.next_requested_slot(
                dispatcher, tracker, domain)]
        return events + await super().run(dispatcher, tracker, domain)

    @staticmethod
    def _stop_kind(tracker: Tracker, requested: str, text: str) -> str | None:
        """CANCELLED for "thôi"/"hủy"…; INTERRUPTED for a confident other topic that does
        not answer the question asked; None to go on."""
        if _folded(text) in CANCEL_WORDS:
            return CANCELLED
        intent = tracker.latest_message.get("intent") or {}
        if intent.get("name") in FORM_INTENTS or (intent.get("confidence") or 0) < \
                OTHER_TOPIC_CONFIDENCE or len(text.split()) < MIN_QUESTION_WORDS:
            return None  # a short reply ("Atlantis") is a (wrong) answer, not a new topic
        if requested == PROVINCE_SLOT and province_code(text):
            return None
        if requested == INDICATOR_SLOT and indicator_code(text):
            return None
        return INTERRUPTED

    @staticmethod
    def _is_new_question(tracker: Tracker, text: str) -> bool:
        """An indicator question that names an indicator or what is asked (not a bare reply
        such as "Hà Nội")."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "ask_indicator" or len(text.split()) < 4:
            return False
        q = parse_question(text)
        return q.indicator is not None or q.kind != "value"

    @staticmethod
    def _canonical_leftovers(tracker: Tracker, decided: set[str]) -> list[EventType]:
        """Indicator/province values the question did not set, made canonical or cleared
        (an entity such as "trực tuyến" is no indicator code)."""
        events: list[EventType] = []
        indicator = tracker.get_slot(INDICATOR_SLOT)
        if INDICATOR_SLOT not in decided and indicator:
            events.append(SlotSet(INDICATOR_SLOT, indicator_code(str(indicator))))
        province = tracker.get_slot(PROVINCE_SLOT)
        if PROVINCE_SLOT not in decided and province and _province(province) is None:
            events.append(SlotSet(PROVINCE_SLOT, province_code(str(province))))
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        if not may_read_indicators(verified_identity(tracker)):
            return []  # nothing to ask: the answer action explains the refusal
        kind = tracker.get_slot(KIND_SLOT) or "value"
        if kind in (NOTHING_TO_ANSWER, CANCELLED, INTERRUPTED):
            return []
        if kind == "top" or (kind in ("compare", "chart") and tracker.get_slot(COMPARE_SLOT)):
            return [INDICATOR_SLOT]
        if kind == "chart" and not tracker.get_slot(PROVINCE_SLOT):
            return [INDICATOR_SLOT]
        return [INDICATOR_SLOT, PROVINCE_SLOT]

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> EventType:
        """Always names the next slot (or None: done), also when all domain slots are needed."""
        required = await self.required_slots(
            self.domain_slots(domain), dispatcher, tracker, domain
        )
        missing = next((s for s in required if tracker.slots.get(s) is None), None)
        return SlotSet("requested_slot", missing)

    @staticmethod
    def _candidates(value: Any, tracker: Tracker, slot: str) -> list[str]:
        """What to resolve: the user's whole reply when the form asked for ``slot`` (an
        entity may cover only part of it), then the extracted value."""
        texts = [str(value or "")[:300]]
        if tracker.get_slot("requested_slot") == slot:
            texts.insert(0, (tracker.latest_message.get("text") or "")[:300])
        return [t for t in dict.fromkeys(texts) if t.strip()]

    def validate_indicator(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        texts = self._candidates(value, tracker, INDICATOR_SLOT)
        if code := indicator_code(*texts):
            return {INDICATOR_SLOT: code}
        if texts:
            dispatcher.utter_message(
                text=f"Tôi chưa nhận ra chỉ tiêu \u201c{texts[0][:60]}\u201d trong danh mục."
            )
        return {INDICATOR_SLOT: None}

    def validate_province(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        texts = self._candidates(value, tracker, PROVINCE_SLOT)
        if code := province_code(*texts):
            return {PROVINCE_SLOT: code}
        if texts:
            dispatcher.utter_message(
                text=f"Tôi chưa nhận ra tỉnh/thành phố trong \u201c{texts[0][:60]}\u201d. "
                "Anh/chị gõ tên tỉnh (ví dụ: Hà Giang, Bắc Ninh, TP.HCM) hoặc gõ "
                "\u201cthôi\u201d để dừng."
            )
        return {PROVINCE_SLOT: None}


def _indicator_buttons(province: Province | None) -> list[dict[str, str]]:
    from knowledge.indicators.query import indicators_with_data

    try:
        indicators: list[Indicator] = indicators_with_data(_url(), province)
    except Exception:
        logger.exception("could not list indicators with data")
        return []
    rates = [i for i in indicators if i.kind == "rate"] + [
        i for i in indicators if i.kind != "rate"]
    return [{"title": i.name, "payload": i.name} for i in rates[:MAX_BUTTONS]]


class ActionAskIndicator(Action):
    """Asks which indicator, offering those that have figures (for the province if known)."""

    def name(self) -> str:
        return "action_ask_indicator"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        buttons = _indicator_buttons(_province(tracker.get_slot(PROVINCE_SLOT)))
        if buttons:
            dispatcher.utter_message(text=ASK_INDICATOR_TEXT + " (gõ \u201cthôi\u201d để dừng)",
                                     buttons=buttons)
        else:
            dispatcher.utter_message(text=ASK_INDICATOR_NO_DATA)
        return []


class ActionAskProvince(Action):
    """Asks which province (only when the question named none and the account has none)."""

    def name(self) -> str:
        return "action_ask_province"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=ASK_PROVINCE_TEXT)
        return []


def build_query(tracker: Tracker) -> IndicatorQuery | None:
    """The query the slots describe, or None when a required piece is missing."""
    code = tracker.get_slot(INDICATOR_SLOT)
    try:
        indicator = load_catalogue().indicator(code) if code else None
    except KeyError:
        indicator = None
    if indicator is None:
        return None
    kind = tracker.get_slot(KIND_SLOT) or "value"
    compare_codes = tracker.get_slot(COMPARE_SLOT) or []
    provinces: list[Province] = []
    if kind in ("compare", "chart") and compare_codes:
        provinces = [p for p in (_province(c) for c in compare_codes) if p is not None]
    elif kind != "top":
        province = _province(tracker.get_slot(PROVINCE_SLOT))
        if province is not None:
            provinces = [province]
        elif kind != "chart":
            return None
    top = tracker.get_slot(TOP_SLOT)
    return IndicatorQuery(
        kind=kind,
        indicator=indicator,
        provinces=tuple(provinces),
        period=_period_from(tracker.get_slot(PERIOD_SLOT)),
        top_n=int(top) if top else None,
    )


class ActionAnswerIndicator(Action):
    """Answers the indicator query for a verified official; refuses everyone else."""

    def name(self) -> str:
        return "action_answer_indicator"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity, problem = check_identity(tracker)
        if identity is None:
            dispatcher.utter_message(text=EXPIRED_TEXT if problem else REFUSAL_TEXT)
            audit(None, "indicator_query_refused", {"reason": problem or "no_login"})
            return []
        if not may_read_indicators(identity):
            dispatcher.utter_message(text=ROLE_TEXT)
            audit(identity, "indicator_query_refused", {"reason": "role"})
            return []
        kind = tracker.get_slot(KIND_SLOT)
        if kind in (NOTHING_TO_ANSWER, CANCELLED, INTERRUPTED):
            if kind != NOTHING_TO_ANSWER:
                dispatcher.utter_message(
                    text=STOPPED_TEXT if kind == CANCELLED else INTERRUPTED_TEXT)
            return [SlotSet(KIND_SLOT, None)]
        query = build_query(tracker)
        if query is None:
            dispatcher.utter_message(text=STOPPED_TEXT)
            return []
        try:
            reply = answer_query(
                _url(), query, chart_over_time=bool(tracker.get_slot("chart_over_time"))
            )
        except Exception:
            logger.exception("indicator query failed")
            dispatcher.utter_message(
                text="Xin lỗi anh/chị, hệ thống số liệu đang gặp sự cố nên tôi chưa trả lời "
                "được. Anh/chị vui lòng thử lại sau ít phút."
            )
            return []
        image = None
        if reply.chart_png:
            from knowledge.indicators.chart_store import chart_url, charts_dir, save_chart

            try:
                image = chart_url(save_chart(reply.chart_png, charts_dir(get_settings().data_dir)))
            except OSError:
                logger.exception("could not store the chart")
        dispatcher.utter_message(text=reply.text, image=image)
        audit(identity, "indicator_query", {
            "kind": query.kind,
            "indicator": query.indicator.code,
            "provinces": [p.code for p in query.provinces],
            "period": query.period.label if query.period else None,
            "cited": list(reply.cited),
            "chart": image is not None,
        })
        return []
