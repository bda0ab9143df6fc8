"""What the citizen is told about a handoff (the assistant's words, in one place for every
channel and for the gateway's sweeps)."""

from __future__ import annotations

HOTLINE = "tổng đài 1900 0368"


def queued(position: int) -> str:
    return (
        "Em đã chuyển cuộc trò chuyện tới cán bộ. "
        f"Anh/chị đang ở vị trí thứ {position} trong hàng chờ; cán bộ sẽ trả lời ngay tại đây. "
        "Trong lúc chờ, anh/chị có thể nhắn thêm nội dung cần hỏi."
    )


def after_hours(opening: str) -> str:
    return (
        "Hiện đã ngoài giờ làm việc của cán bộ. Em đã lưu yêu cầu và tin nhắn của anh/chị; "
        f"cán bộ sẽ trả lời khi cơ quan làm việc trở lại, từ {opening}. "
        f"Nếu cần gấp, anh/chị vui lòng gọi {HOTLINE}."
    )


def still_waiting(position: int) -> str:
    if position <= 0:
        return "Cán bộ đã nhận cuộc trò chuyện và sẽ trả lời anh/chị ngay tại đây."
    return (
        "Tin nhắn đã được chuyển tới cán bộ. "
        f"Anh/chị đang ở vị trí thứ {position} trong hàng chờ."
    )


EXPIRED = (
    "Xin lỗi anh/chị, hiện chưa có cán bộ nhận được cuộc trò chuyện. "
    f"Anh/chị vui lòng gọi {HOTLINE} hoặc hỏi lại trợ lý; em vẫn ở đây để hỗ trợ."
)
RETURNED = (
    "Cán bộ đã chuyển cuộc trò chuyện lại cho trợ lý. Anh/chị cần hỏi gì thêm cứ nhắn em nhé."
)
CLOSED = (
    "Cán bộ đã kết thúc cuộc trò chuyện. Cảm ơn anh/chị; nếu cần hỏi thêm, anh/chị cứ nhắn em."
)
