"""The deletion dialogue, the same on every channel: "xóa dữ liệu của tôi" (or the widget's
menu) → a confirmation step → every record of the conversation deleted. It runs before the
assistant, so it works whatever the assistant understood, and also while staff hold the
conversation. A request not confirmed within ten minutes lapses."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.db import session_scope
from core.db.base import as_utc, utc_now
from privacy.erase import Erased, erase_conversation
from privacy.models import DeletionRequest
from vntext import matching_key

REQUEST_PAYLOAD = "/privacy_delete"
CONFIRM_PAYLOAD = "/privacy_delete_confirm"
CANCEL_PAYLOAD = "/privacy_delete_cancel"
CONFIRM_WITHIN = dt.timedelta(minutes=10)

# "xóa dữ liệu của tôi", "tôi muốn xóa toàn bộ lịch sử trò chuyện", "xoa het thong tin cua
# minh di" — a request about this conversation, not a question ("làm sao xóa dữ liệu trên
# VNeID?" goes to the assistant)
_REQUEST = re.compile(
    r"^(toi |em |minh )?(muon |can |xin |de nghi |yeu cau )?(hay |vui long |lam on )?"
    r"xoa (het |toan bo |tat ca )?(du lieu|lich su|thong tin|noi dung|cuoc tro chuyen|tin nhan)"
    r"( tro chuyen| tin nhan| ca nhan| chat)?( cua (toi|em|minh))?( (nay|di|nhe|giup|voi|a))*$"
)
_CONFIRM = {"xac nhan xoa", "dong y xoa", "xac nhan", "dong y", "co", "co xoa", "xoa", "ok"}
_CANCEL = {"khong xoa", "khong", "huy", "thoi", "huy xoa", "khong dong y"}

ASK = ("Anh/chị muốn xóa toàn bộ dữ liệu của cuộc trò chuyện này (nội dung trò chuyện, đánh "
       "giá, tin nhắn với cán bộ)? Sau khi xóa không khôi phục được. Anh/chị chọn \"Xác nhận "
       "xóa\" trong 10 phút để xóa.")
ERASED = ("Đã xóa toàn bộ dữ liệu của cuộc trò chuyện này. Nếu anh/chị hỏi tiếp, trợ lý sẽ "
          "bắt đầu một cuộc trò chuyện mới.")
CANCELLED = "Dữ liệu của anh/chị được giữ nguyên. Anh/chị cần hỏi gì thêm không ạ?"
LAPSED = ("Yêu cầu xóa đã hết hạn hoặc chưa được gửi. Nếu vẫn muốn xóa, anh/chị nhắn "
          "\"xóa dữ liệu của tôi\".")


@dataclass(frozen=True)
class Step:
    """What to answer instead of the assistant, and what was erased (for the audit)."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    erased: Erased | None = None


def is_request(text: str) -> bool:
    return text.strip() == REQUEST_PAYLOAD or bool(_REQUEST.match(matching_key(text)))


def _pending(url: str, sender_id: str, now: dt.datetime) -> bool | None:
    """True pending, False lapsed (and forgotten), None never asked."""
    with session_scope(url) as session:
        row = session.get(DeletionRequest, sender_id[:80])
        if row is None:
            return None
        if now - as_utc(row.asked_at) <= CONFIRM_WITHIN:
            return True
        session.delete(row)
        return False


def _forget(url: str, sender_id: str) -> None:
    with session_scope(url) as session:
        row = session.get(DeletionRequest, sender_id[:80])
        if row is not None:
            session.delete(row)


def deletion_step(url: str, tracker_url: str, sender_id: str, text: str,
                  now: dt.datetime | None = None) -> Step | None:
    """The reply to ``text`` when it belongs to the deletion dialogue, else None."""
    now = now or utc_now()
    if is_request(text):
        with session_scope(url) as session:
            row = session.get(DeletionRequest, sender_id[:80])
            if row is None:
                session.add(DeletionRequest(sender_id=sender_id[:80], asked_at=now))
            else:
                row.asked_at = now
        return Step(ASK, (("Xác nhận xóa", CONFIRM_PAYLOAD), ("Không xóa", CANCEL_PAYLOAD)))
    key = matching_key(text)
    payload = text.strip() in (CONFIRM_PAYLOAD, CANCEL_PAYLOAD)
    confirm = text.strip() == CONFIRM_PAYLOAD or (not payload and key in _CONFIRM)
    cancel = text.strip() == CANCEL_PAYLOAD or (not payload and key in _CANCEL)
    if not (confirm or cancel):
        return None
    pending = _pending(url, sender_id, now)
    if not pending:
        # "có"/"không" with nothing pending are answers to the assistant, not to us
        return Step(LAPSED) if payload or pending is False else None
    if cancel:
        _forget(url, sender_id)
        return Step(CANCELLED)
    return Step(ERASED, erased=erase_conversation(url, tracker_url, sender_id))
