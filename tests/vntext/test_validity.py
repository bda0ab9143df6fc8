"""Questions on how long a paper stays valid, told from questions on processing time."""

from __future__ import annotations

import pytest

from vntext import matching_key
from vntext.validity import asks_validity


@pytest.mark.parametrize(
    ("question", "validity"),
    [
        ("Thời hạn của lý lịch tư pháp là bao lâu?", True),
        ("Thời hạn hiệu lực của chứng thư số là bao lâu?", True),
        ("Chứng thực bản sao có giá trị bao lâu?", True),
        ("phieu lltp dung duoc bao lau", True),
        ("Thẻ căn cước có thời hạn không?", True),
        ("Làm lý lịch tư pháp online mất bao lâu?", False),
        ("Giấy đăng ký xe bị mất, cấp lại mất bao nhiêu ngày?", False),
        ("thời hạn giải quyết khai tử", False),
        ("Luật có hiệu lực từ ngày nào?", False),
    ],
)
def test_asks_validity(question: str, validity: bool) -> None:
    assert asks_validity(matching_key(question)) is validity
