"""The notice every conversation gets with its first reply: what is stored, why, for how long,
how to have it deleted, and where to read more; that it was shown is recorded once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from core.db import session_scope
from privacy.models import NoticeShown

DELETE_COMMAND = "xóa dữ liệu của tôi"


def notice_text(privacy_url: str, retention_days: int) -> str:
    """The notice; without a reachable page address (a Zalo channel of a gateway with no
    public URL) it ends before "Chi tiết"."""
    text = (
        "Trợ lý lưu nội dung cuộc trò chuyện này (số giấy tờ, số điện thoại được che bớt) và "
        f"đánh giá của anh/chị trong {retention_days} ngày, để trả lời, chuyển cán bộ khi "
        "anh/chị cần và cải thiện câu trả lời. Anh/chị có thể yêu cầu xóa bất cứ lúc nào bằng "
        f"cách nhắn \"{DELETE_COMMAND}\"."
    )
    return f"{text} Chi tiết: {privacy_url}" if privacy_url else text


def first_contact(url: str, sender_id: str, channel: str) -> bool:
    """True exactly once per conversation (the caller shows the notice then), also when two
    of its first messages arrive at the same time."""
    try:
        with session_scope(url) as session:
            if session.get(NoticeShown, sender_id[:80]) is not None:
                return False
            session.add(NoticeShown(sender_id=sender_id[:80], channel=channel[:20]))
    except IntegrityError:
        return False
    return True
