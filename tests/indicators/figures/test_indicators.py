"""Indicator catalogue."""

from __future__ import annotations

from pathlib import Path

import yaml

from indicators.figures.indicators import load_catalogue, load_indicators, match_key

GOLD = Path(__file__).with_name("seeds_gold.yml")
REQUIRED_GROUPS = {
    "online_services",
    "eid",
    "cccd",
    "plan_tasks",
    "cashless",
    "digitisation",
    "service_index",
}


def test_catalogue_loads_with_unique_codes():
    inds = load_indicators()
    codes = [i.code for i in inds]
    assert len(codes) == len(set(codes))
    assert len(codes) >= 30


def test_required_groups_are_covered():
    cat = load_catalogue()
    assert {i.group for i in cat.indicators} >= REQUIRED_GROUPS
    assert set(cat.groups) >= REQUIRED_GROUPS


def test_every_indicator_is_complete():
    for ind in load_indicators():
        assert ind.name and ind.unit and ind.kind in ("rate", "count")
        assert (ind.unit == "%") == (ind.kind == "rate"), ind.code
        assert ind.synonyms and ind.ascii_synonyms
        assert all(s.isascii() or "đ" not in s for s in ind.ascii_synonyms)


def test_key_indicators_exist():
    cat = load_catalogue()
    for code in (
        "online_services_full_rate",
        "online_services_partial_rate",
        "online_applications_rate",
        "eid_registered",
        "eid_activation_rate",
        "cccd_coverage_rate",
        "digitization_rate",
        "cashless_welfare_rate",
        "plan_tasks_completed",
        "service_index",
        "population_data_cleaned_rate",
    ):
        assert cat.indicator(code).code == code


def test_no_diacritics_synonyms_match_folded_text():
    ind = load_catalogue().indicator("eid_activation_rate")
    assert "kich hoat tai khoan dinh danh" in {match_key(s) for s in ind.ascii_synonyms}
    assert match_key("Kích hoạt TK định danh") == "kich hoat tai khoan dinh danh"


def test_gold_uses_catalogue_codes():
    codes = {i.code for i in load_indicators()}
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    for doc in gold["documents"].values():
        for fig in doc["figures"]:
            assert fig["indicator"] in codes
