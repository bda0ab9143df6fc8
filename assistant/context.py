"""What a conversation already established: is a short question a follow-up?

"mất bao lâu?", "làm trên ứng dụng nào?", "còn lệ phí?" name no subject; they ask about what
was answered last. A question that names its own subject is read on its own.
"""

from __future__ import annotations

import re

from vntext import matching_key

MAX_FOLLOW_UP_WORDS = 8
# Question words and function words (matching keys) that carry no subject.
_QUESTION_WORDS = re.compile(
    r"\b(?:con|thi sao|the con|vay|the|sao|nhu the nao|the nao|ra sao|nhu nao|bao lau|"
    r"mat bao lau|may ngay|bao nhieu tien|bao nhieu|het bao nhieu|le phi|phi|chi phi|"
    r"mien phi|o dau|lam o dau|nop o dau|tai dau|noi nao|cho nao|co quan nao|giay to gi|"
    r"giay to|ho so|can gi|can nhung gi|cac buoc|thu tuc|lam sao|lam the nao|tren|"
    r"ung dung nao|ung dung|app nao|dien thoai nao|truc tuyen|online|duoc khong|co duoc|"
    r"khong|ko|k|co|phai|nua|a|ah|nhe|nha|vay a|the a|ai|ai phai|ai duoc|lam|nop|xin|"
    r"cap|mat|het|thoi han|thoi gian|co can|bat buoc|di|den|voi|va|cho|minh|toi|em|"
    r"anh|chi|ban|duoc|bi|phat|muc phat|bi phat|khi nao|bao gio|nao|gi|qua|bang|"
    r"dieu kien|can|o)\b"
)


def is_follow_up(question: str) -> bool:
    """A short question made only of question words: it needs the previous answer."""
    key = matching_key(question)
    words = key.split()
    if not words or len(words) > MAX_FOLLOW_UP_WORDS:
        return False
    rest = _QUESTION_WORDS.sub(" ", key).split()
    return not rest
