"""Province reference data and matching (mapping from FACTS.md §6)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.geo import current_unit, find_provinces, load_provinces, resolve_province

# FACTS.md §6.2: new unit → old units merged into it (23 rows) and the 11 unchanged units.
MERGED = {
    "tuyen-quang": {"tuyen-quang", "ha-giang"},
    "lao-cai": {"lao-cai", "yen-bai"},
    "thai-nguyen": {"thai-nguyen", "bac-kan"},
    "phu-tho": {"phu-tho", "vinh-phuc", "hoa-binh"},
    "bac-ninh": {"bac-ninh", "bac-giang"},
    "hung-yen": {"hung-yen", "thai-binh"},
    "hai-phong": {"hai-phong", "hai-duong"},
    "ninh-binh": {"ninh-binh", "ha-nam", "nam-dinh"},
    "quang-tri": {"quang-tri", "quang-binh"},
    "da-nang": {"da-nang", "quang-nam"},
    "quang-ngai": {"quang-ngai", "kon-tum"},
    "gia-lai": {"gia-lai", "binh-dinh"},
    "khanh-hoa": {"khanh-hoa", "ninh-thuan"},
    "lam-dong": {"lam-dong", "dak-nong", "binh-thuan"},
    "dak-lak": {"dak-lak", "phu-yen"},
    "ho-chi-minh": {"ho-chi-minh", "binh-duong", "ba-ria-vung-tau"},
    "dong-nai": {"dong-nai", "binh-phuoc"},
    "tay-ninh": {"tay-ninh", "long-an"},
    "can-tho": {"can-tho", "soc-trang", "hau-giang"},
    "vinh-long": {"vinh-long", "ben-tre", "tra-vinh"},
    "dong-thap": {"dong-thap", "tien-giang"},
    "ca-mau": {"ca-mau", "bac-lieu"},
    "an-giang": {"an-giang", "kien-giang"},
}
UNCHANGED = {
    "ha-noi": "ha-noi",
    "hue": "thua-thien-hue",
    "lai-chau": "lai-chau",
    "dien-bien": "dien-bien",
    "son-la": "son-la",
    "lang-son": "lang-son",
    "quang-ninh": "quang-ninh",
    "thanh-hoa": "thanh-hoa",
    "nghe-an": "nghe-an",
    "ha-tinh": "ha-tinh",
    "cao-bang": "cao-bang",
}


@pytest.fixture(scope="module")
def registry():
    return load_provinces()


def test_counts_and_types(registry):
    assert len(registry.current) == 34
    assert len(registry.old) == 63
    types = [p.type for p in registry.current]
    assert types.count("tỉnh") == 28 and types.count("thành phố") == 6
    assert sum(p.type == "thành phố" for p in registry.old) == 5
    assert len({p.code for p in registry.provinces}) == 97
    assert len({p.gso_code for p in registry.old}) == 63


def test_every_old_unit_maps_to_exactly_one_current_unit(registry):
    current_codes = {p.code for p in registry.current}
    for old in registry.old:
        assert old.merged_into in current_codes
        assert current_unit(old).is_current
    members = [p.slug for c in registry.current for p in registry.members(c)]
    assert sorted(members) == sorted(p.slug for p in registry.old)


@pytest.mark.parametrize(("new", "olds"), sorted(MERGED.items()))
def test_merged_units_match_facts(registry, new, olds):
    assert {p.slug for p in registry.members(registry.by_code(new))} == olds


@pytest.mark.parametrize(("new", "old"), sorted(UNCHANGED.items()))
def test_unchanged_units(registry, new, old):
    assert [p.slug for p in registry.members(registry.by_code(new))] == [old]


def test_merger_totals(registry):
    merged = [c for c in registry.current if len(registry.members(c)) > 1]
    assert len(merged) == 23
    assert sum(len(registry.members(c)) for c in merged) == 52


def test_units_in_force_by_date(registry):
    assert len(registry.units_on(dt.date(2024, 6, 1))) == 63
    assert len(registry.units_on(dt.date(2025, 3, 1))) == 63  # TP Huế already, 62 old + Huế
    assert len(registry.units_on(dt.date(2025, 7, 1))) == 34


def test_ha_giang_is_old_and_now_part_of_tuyen_quang():
    p = resolve_province("ha giang")
    assert p is not None and p.name == "Hà Giang" and not p.is_current
    assert p.valid_to == dt.date(2025, 6, 30)
    assert current_unit(p).name == "Tuyên Quang"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("TP.HCM", "ho-chi-minh"),
        ("HCM", "ho-chi-minh"),
        ("Sài Gòn", "ho-chi-minh"),
        ("sai gon", "ho-chi-minh"),
        ("TP Hồ Chí Minh", "ho-chi-minh"),
        ("thành phố hồ chí minh", "ho-chi-minh"),
        ("HN", "ha-noi"),
        ("Hà Nội", "ha-noi"),
        ("ha noi", "ha-noi"),
        ("HÀ NỘI", "ha-noi"),
        ("Hoà Bình", "hoa-binh"),
        ("Bà Rịa–Vũng Tàu", "ba-ria-vung-tau"),
        ("BR-VT", "ba-ria-vung-tau"),
        ("Daklak", "dak-lak"),
        ("Đắk Nông", "dak-nong"),
        ("tỉnh Kon Tum", "kon-tum"),
        ("Thừa Thiên Huế", "hue"),
    ],
)
def test_aliases_resolve(text, slug):
    p = resolve_province(text)
    assert p is not None and p.slug == slug


def test_era_is_chosen_by_date():
    assert resolve_province("Tuyên Quang", on=dt.date(2023, 5, 1)).code == "old:tuyen-quang"
    assert resolve_province("Tuyên Quang", on=dt.date(2025, 8, 1)).code == "tuyen-quang"
    assert resolve_province("Thừa Thiên Huế", on=dt.date(2024, 1, 1)).code == "old:thua-thien-hue"


def test_ascii_aliases_are_generated(registry):
    hg = registry.get("ha-giang")
    assert "Ha Giang" in hg.ascii_aliases
    assert "tinh Ha Giang" in hg.ascii_aliases


def test_longest_match_and_spans():
    text = "Đoàn công tác của tỉnh Bà Rịa - Vũng Tàu làm việc tại Vũng Tàu và Hà Nội."
    found = find_provinces(text)
    assert [m.province.slug for m in found] == ["ba-ria-vung-tau", "ba-ria-vung-tau", "ha-noi"]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert found[0].text == "tỉnh Bà Rịa - Vũng Tàu"


def test_no_match_inside_words_or_with_other_diacritics():
    assert resolve_province("ông Long Anh và bà Hà Giàng") is None
    assert resolve_province("hoa huệ") is None
    assert find_provinces("Xã Long Annh nằm ở vùng đồng bằng, không thuộc tỉnh nào kể trên.") == []


def test_common_words_and_person_names_are_not_places():
    prose = "Mọi người đều mong hòa bình và thái bình, theo tư tưởng Hồ Chí Minh về đoàn kết."
    assert find_provinces(prose) == []
    assert resolve_province("Chủ tịch Hồ Chí Minh") is None
    assert [m.province.slug for m in find_provinces(prose + " Tỉnh Hòa Bình cũng vậy.")] == [
        "hoa-binh"
    ]


def test_decomposed_unicode_input():
    import unicodedata

    text = unicodedata.normalize("NFD", "Báo cáo của tỉnh Bắc Giang")
    found = find_provinces(text)
    assert [m.province.slug for m in found] == ["bac-giang"]
    assert text[found[0].start : found[0].end] == found[0].text
