"""Vietnamese labels for intents, shown when the assistant asks "did you mean …?"."""

INTENT_LABELS: dict[str, str] = {
    "greet": "chào hỏi",
    "goodbye": "kết thúc trò chuyện",
    "thank": "cảm ơn",
    "help": "xem tôi có thể giúp gì",
    "bot_challenge": "hỏi tôi là ai",
    "choose_topic": "chọn chủ đề",
    "ask_vneid_install": "cài đặt ứng dụng VNeID",
    "ask_vneid_levels": "tài khoản định danh mức 1 và mức 2",
    "ask_vneid_register": "đăng ký tài khoản định danh điện tử",
    "ask_vneid_activate": "kích hoạt tài khoản VNeID",
    "ask_vneid_account_issue": (
        "sự cố tài khoản VNeID (mật khẩu, passcode, đổi máy, đổi số, bị khóa)"
    ),
    "ask_vneid_utilities": "các tiện ích trên VNeID",
    "ask_public_services": "dịch vụ công trực tuyến và Cổng Dịch vụ công quốc gia",
    "ask_cashless_payment": "thanh toán không dùng tiền mặt",
    "ask_policy_info": "thông tin chung về Đề án 06, thẻ căn cước, sáp nhập tỉnh",
    "ask_procedure": "hướng dẫn thủ tục hành chính",
    "ask_indicator": "tra cứu chỉ số Đề án 06 (dành cho cán bộ)",
}


def label(intent: str) -> str:
    """Human label for an intent; falls back to a neutral phrase, never the raw name."""
    return INTENT_LABELS.get(intent, "một nội dung khác")
