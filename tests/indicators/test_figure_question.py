"""Which questions ask for a figure (the officials' mode) and which are a citizen's."""

from __future__ import annotations

import pytest

from indicators.dialogue import is_figure_question


@pytest.mark.parametrize(
    "question",
    [
        "Tỷ lệ cung cấp dịch vụ công trực tuyến của Hà Giang?",
        "Hà Giang xếp thứ mấy về kích hoạt định danh điện tử?",
        "so sánh tỷ lệ kích hoạt vneid của Hà Nội và Hà Giang",
        "ty le kich hoat dinh danh ha noi va ha giang",
        "top 5 tỉnh có tỷ lệ kích hoạt định danh cao nhất",
        "biểu đồ tỷ lệ kích hoạt định danh điện tử của Hà Giang",
    ],
)
def test_figure_questions(question: str) -> None:
    assert is_figure_question(question)


@pytest.mark.parametrize(
    "question",
    [
        # two places named in a letter: where one is from and where one lives
        "Tôi quê ở Bình Thuận, mới kết hôn và đã đến ở nhà chồng tại TP.HCM được hơn 1 năm. "
        "Tôi có phải chuyển thường trú về nhà chồng không, thủ tục thế nào?",
        "Mình chuyển hộ khẩu lên Lâm Đồng đã 6 năm, nay muốn chuyển về lại Tây Ninh thì làm gì?",
        "làm căn cước ở Hà Nội ở đâu?",
        "Hà Giang",
    ],
)
def test_citizens_questions_naming_places(question: str) -> None:
    assert not is_figure_question(question)
