"""Common Vietnamese chat abbreviations and teencode, mapped to full words.

Keys are lower-case whole tokens; values are what a careful writer would type.
"""

ABBREVIATIONS: dict[str, str] = {
    # negation / question particles
    "ko": "không",
    "k": "không",
    "hok": "không",
    "hông": "không",
    "khong": "không",
    "kh": "không",
    "khg": "không",
    "kg": "không",
    "hem": "không",
    "dc": "được",
    "đc": "được",
    "dk": "được",
    "đk": "đăng ký",
    "dky": "đăng ký",
    "đky": "đăng ký",
    "j": "gì",
    "ji": "gì",
    "gi": "gì",
    "z": "vậy",
    "v": "vậy",
    "vs": "với",
    "r": "rồi",
    "ntn": "như thế nào",
    "bn": "bao nhiêu",
    "bnhiu": "bao nhiêu",
    "ng": "người",
    "mn": "mọi người",
    "ad": "quản trị viên",
    "thanks": "cảm ơn",
    "thank": "cảm ơn",
    "tks": "cảm ơn",
    "thx": "cảm ơn",
    "cám": "cảm",
    # account / app vocabulary
    "tk": "tài khoản",
    "mk": "mật khẩu",
    "pass": "mật khẩu",
    "password": "mật khẩu",
    "đt": "điện thoại",
    "dt": "điện thoại",
    "đthoai": "điện thoại",
    "sđt": "số điện thoại",
    "sdt": "số điện thoại",
    "app": "ứng dụng",
    "vnid": "vneid",
    "vn-eid": "vneid",
    # documents and services
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "cmt": "chứng minh nhân dân",
    "dvc": "dịch vụ công",
    "dvcqg": "dịch vụ công quốc gia",
    "gplx": "giấy phép lái xe",
    "bằng lái": "giấy phép lái xe",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "asxh": "an sinh xã hội",
    "lltp": "lý lịch tư pháp",
    "tthc": "thủ tục hành chính",
    "ubnd": "ủy ban nhân dân",
    "hcc": "hành chính công",
    "tp": "thành phố",
    "tphcm": "thành phố hồ chí minh",
    "hcm": "hồ chí minh",
    "sg": "sài gòn",
    "hn": "hà nội",
}
"""Whole-token abbreviations. Multi-word keys match across a single space."""

# Tokens that are ambiguous as plain words when written with diacritics and so
# must only be expanded in their exact, diacritic-free spelling.
AMBIGUOUS_WITH_DIACRITICS: frozenset[str] = frozenset({"r", "v", "z", "gi", "k", "j"})
