"""Chunking invariants: size, offsets, headings, whole sentences, lists, overlap."""

from __future__ import annotations

import random

import pytest
from underthesea import sent_tokenize

from knowledge.documents.chunking import Chunk, chunk, split_long

SECTIONED = """# Hướng dẫn tài khoản định danh điện tử

Tài khoản định danh điện tử có hai mức. Mức 1 đăng ký trên ứng dụng. Mức 2 cần đến công an.

## Điều kiện

Công dân Việt Nam từ đủ 14 tuổi trở lên được cấp tài khoản mức 2.
Người dưới 14 tuổi đăng ký theo tài khoản của cha, mẹ hoặc người giám hộ.

CHƯƠNG II. THỦ TỤC
Điều 5. Hồ sơ đề nghị
Hồ sơ gồm tờ khai và thẻ căn cước còn hạn. Cán bộ tiếp nhận kiểm tra thông tin.

1. Kết quả đạt được
Đã cấp hơn một triệu tài khoản trong năm. Tỷ lệ kích hoạt đạt 96,9%.

Các bước thực hiện:
1. Tải ứng dụng VNeID.
2. Chọn đăng ký tài khoản.
3. Nhập số định danh cá nhân.
- Chụp ảnh chân dung
- Chờ tin nhắn kích hoạt
"""


def sentences_of(text: str) -> list[str]:
    """Reference sentences: underthesea on each line, rejoined where it cut inside a token."""
    out = []
    for line in text.split("\n"):
        pos, previous_end = 0, -1
        for sentence in (s.strip() for s in sent_tokenize(line)):
            if not sentence:
                continue
            start = line.find(sentence, pos)
            if start == previous_end and out:
                out[-1] += sentence
            else:
                out.append(sentence)
            pos = previous_end = start + len(sentence)
    return out


def check(text: str, chunks: list[Chunk], max_chars: int) -> None:
    """Every invariant the chunker promises."""
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert text[c.start : c.end] == c.text, "offsets map back to the text"
        assert c.text and c.text == c.text.strip()
        if len(c.text) > max_chars:
            assert not any(ch.isspace() for ch in c.text), f"oversized chunk {c.index}"
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    covered = [False] * len(text)
    for c in chunks:
        covered[c.start : c.end] = [True] * (c.end - c.start)
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, f"text not in any chunk at {missing[:5]}"
    for sentence in sentences_of(text):
        if len(sentence) <= max_chars:
            assert any(sentence in c.text for c in chunks), f"sentence split: {sentence[:40]}"


def test_empty_text_has_no_chunks() -> None:
    assert chunk("") == [] and chunk(" \n\n ") == []


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        chunk("Câu.", max_chars=0)
    with pytest.raises(ValueError):
        chunk("Câu.", overlap_sentences=-1)


def test_short_text_is_one_chunk() -> None:
    text = "Người dân đăng ký tài khoản. Sau đó kích hoạt trên ứng dụng."
    (only,) = chunk(text)
    assert (only.text, only.start, only.end) == (text, 0, len(text))
    assert (only.heading, only.index) == (None, 0)


@pytest.mark.parametrize("max_chars", [60, 90, 150, 300, 900])
@pytest.mark.parametrize("overlap", [0, 1, 2])
def test_invariants_on_a_sectioned_document(max_chars: int, overlap: int) -> None:
    check(SECTIONED, chunk(SECTIONED, max_chars=max_chars, overlap_sentences=overlap), max_chars)


def test_headings_start_chunks_and_are_carried() -> None:
    chunks = chunk(SECTIONED, max_chars=900)
    by_heading = {c.heading: c for c in chunks}
    assert chunks[0].heading == "Hướng dẫn tài khoản định danh điện tử"
    assert chunks[0].text.startswith("# Hướng dẫn")
    assert by_heading["Điều kiện"].text.startswith("## Điều kiện\n\nCông dân")
    # consecutive heading lines stay together with the text after them
    assert by_heading["Điều 5. Hồ sơ đề nghị"].text.startswith("CHƯƠNG II. THỦ TỤC\nĐiều 5.")
    assert "Tỷ lệ kích hoạt" in by_heading["1. Kết quả đạt được"].text
    for c in chunks:
        assert c.heading is not None


@pytest.mark.parametrize(
    "heading",
    ["# Mở đầu", "### Mở đầu", "Mục I", "Mục 2. Quy định chung", "Chương III", "Điều 12.",
     "Dieu 3. Hieu luc", "QUYẾT ĐỊNH", "II. NHIỆM VỤ", "1. Kết quả đạt được", "2.1. Tồn tại"],
)  # fmt: skip
def test_heading_styles(heading: str) -> None:
    text = f"Câu mở đầu.\n{heading}\nNội dung thứ nhất. Nội dung thứ hai."
    chunks = chunk(text)
    assert [c.text for c in chunks] == ["Câu mở đầu.", text.split("\n", 1)[1]]
    assert chunks[1].heading == heading.lstrip("#").strip()


@pytest.mark.parametrize("line", ["M.LÂM", "1. Tải ứng dụng.", "- Nộp hồ sơ", "a) Bước một"])
def test_lines_that_are_not_headings(line: str) -> None:
    assert all(c.heading is None for c in chunk(f"Câu mở đầu.\n{line}\nNội dung."))


def test_every_chunk_of_a_long_section_carries_its_heading() -> None:
    body = " ".join(
        f"Câu thứ {i} nói về dịch vụ công trực tuyến mức độ toàn trình." for i in range(40)
    )
    text = f"## Dịch vụ công\n\n{body}\n\n## Thanh toán\n\nMột câu ngắn."
    chunks = chunk(text, max_chars=300)
    check(text, chunks, 300)
    assert len(chunks) > 5
    assert {c.heading for c in chunks[:-1]} == {"Dịch vụ công"}
    assert chunks[-1].heading == "Thanh toán" and chunks[-1].text.startswith("## Thanh toán")
    assert not any("Dịch vụ công" in c.text and "Thanh toán" in c.text for c in chunks)


def test_overlap_repeats_the_last_sentence() -> None:
    sentences = [f"Đây là câu số {i} trong đoạn văn về Đề án 06." for i in range(30)]
    text = " ".join(sentences)
    chunks = chunk(text, max_chars=250, overlap_sentences=1)
    check(text, chunks, 250)
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        last = [s for s in sentences if prev.text.endswith(s)][0]
        assert nxt.text.startswith(last)
        assert nxt.start < prev.end
    plain = chunk(text, max_chars=250, overlap_sentences=0)
    assert all(a.end < b.start for a, b in zip(plain, plain[1:], strict=False))
    assert len(plain) < len(chunks)


def test_a_list_is_kept_together_and_numbers_stay_with_their_items() -> None:
    chunks = chunk(SECTIONED, max_chars=900)
    steps = next(c for c in chunks if "Tải ứng dụng" in c.text)
    for item in (
        "1. Tải ứng dụng VNeID.",
        "3. Nhập số định danh cá nhân.",
        "- Chờ tin nhắn kích hoạt",
    ):
        assert item in steps.text
    chunks = chunk(SECTIONED, max_chars=120, overlap_sentences=0)
    check(SECTIONED, chunks, 120)
    starts = [c.text.split("\n")[0] for c in chunks]
    assert not any(s in {"1.", "2.", "3."} for s in starts)


def test_a_list_that_does_not_fit_breaks_between_items() -> None:
    items = [f"- Mục {i}: người dân mang theo giấy tờ tùy thân để làm thủ tục." for i in range(12)]
    text = "Danh sách việc cần làm:\n" + "\n".join(items)
    chunks = chunk(text, max_chars=200, overlap_sentences=0)
    check(text, chunks, 200)
    for item in items:
        assert sum(item in c.text for c in chunks) == 1


def test_a_sentence_longer_than_max_is_cut_at_clause_punctuation() -> None:
    clauses = [f"nhiệm vụ thứ {i} được giao cho sở, ngành liên quan" for i in range(30)]
    text = "Tỉnh đã triển khai " + ", ".join(clauses) + "."
    chunks = chunk(text, max_chars=200)
    check(text, chunks, 200)
    assert len(chunks) > 3
    assert all(c.text.endswith((",", ".")) for c in chunks)


def test_a_sentence_without_punctuation_is_cut_at_whitespace() -> None:
    text = " ".join(["dữ liệu"] * 200)
    chunks = chunk(text, max_chars=100)
    check(text, chunks, 100)
    assert all(len(c.text) <= 100 for c in chunks)


def test_an_unsplittable_token_stays_whole() -> None:
    token = "https://dichvucong.example.vn/" + "a" * 1200
    text = f"Xem tại {token} để biết thêm. Câu sau."
    chunks = chunk(text, max_chars=100)
    check(text, chunks, 100)
    assert any(c.text == token for c in chunks)


def test_wrapped_lines_are_joined_into_one_sentence() -> None:
    text = (
        "Công dân có thể sử dụng tài khoản định danh điện tử mức 2 để đăng\n"
        "nhập vào Cổng dịch vụ công quốc gia và các ứng dụng khác.\n"
        "Toàn cảnh hội nghị\n"
        "Một câu khác."
    )
    chunks = chunk(text, max_chars=150, overlap_sentences=0)
    check(text, chunks, 150)
    sentence = text.split("\nToàn")[0]
    assert chunks[0].text.startswith(sentence)


def test_split_long_respects_bounds() -> None:
    text = "một hai ba, bốn năm sáu; bảy tám chín mười"
    spans = split_long(text, 0, len(text), 12)
    assert all(e - s <= 12 for s, e in spans)
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()


def test_random_documents_keep_every_invariant() -> None:
    rng = random.Random(6)
    words = "dân cư định danh điện tử dịch vụ công trực tuyến hồ sơ căn cước VNeID tỉnh xã".split()
    for _ in range(25):
        lines = []
        for _ in range(rng.randint(1, 25)):
            kind = rng.random()
            if kind < 0.1:
                lines.append("## " + " ".join(rng.choices(words, k=rng.randint(1, 6))))
            elif kind < 0.15:
                lines.append("")
            else:
                marker = rng.choice(["", "", "- ", "1. ", "a) "])
                sentences = [
                    " ".join(rng.choices(words, k=rng.randint(1, 60))).capitalize()
                    + rng.choice([".", "!", "?", ";", ""])
                    for _ in range(rng.randint(1, 5))
                ]
                # a line ending without punctuation would read as a wrapped line
                lines.append(marker + " ".join(sentences).rstrip(";") + ".")
        text = "\n".join(lines)
        max_chars = rng.choice([40, 80, 200, 500])
        chunks = chunk(text, max_chars=max_chars, overlap_sentences=rng.randint(0, 2))
        check(text, chunks, max_chars)
