"""Reference sync, versioning, approval and seed loading."""

from __future__ import annotations

import datetime as dt

import yaml
from sqlalchemy import func, select

from core.db import session_scope
from indicators import (
    add_observation,
    approve,
    latest,
    load_seed_figures,
    propose,
    reject,
    sync_reference,
    trend,
)
from indicators.models import IndicatorRow, Observation, ProvinceAliasRow, ProvinceRow
from indicators.observations import count_observations

from .conftest import HA_GIANG_DOC, obs


def _count(url: str, model) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_sync_is_idempotent(db_url):
    first = sync_reference(db_url)
    assert first.provinces == 34 + 63 and first.indicators > 10 and first.aliases > 97
    counts = [_count(db_url, m) for m in (ProvinceRow, ProvinceAliasRow, IndicatorRow)]
    again = sync_reference(db_url)
    assert again.changed == 0
    assert [_count(db_url, m) for m in (ProvinceRow, ProvinceAliasRow, IndicatorRow)] == counts
    with session_scope(db_url) as s:
        ha_giang = s.get(ProvinceRow, "old:ha-giang")
        assert ha_giang.merged_into == "tuyen-quang"
        assert ha_giang.valid_to == dt.date(2025, 6, 30)
        assert s.get(ProvinceRow, "tuyen-quang").merged_into is None
        assert s.get(IndicatorRow, "online_services_rate").unit == "%"


def test_second_figure_for_same_period_is_a_new_version(db_url):
    first = add_observation(db_url, obs(value=95.0), by="a")
    second = add_observation(db_url, obs(value=96.9), by="b")
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes_id == first.id
    assert latest(db_url, "Hà Giang", "online_services_rate").value == 96.9
    with session_scope(db_url) as s:
        kept = s.get(Observation, first.id)
        assert kept.value == 95.0 and kept.status == "approved"
    # the same figure again does not create a version
    again = add_observation(db_url, obs(value=96.9), by="b")
    assert again.id == second.id and count_observations(db_url) == 2


def test_other_period_is_not_a_version(db_url):
    add_observation(db_url, obs(value=80.0, as_of=dt.date(2023, 6, 30)), by="a")
    new = add_observation(db_url, obs(value=96.9), by="a")
    assert new.version == 1
    assert [f.value for f in trend(db_url, "ha giang", "online_services_rate")] == [80.0, 96.9]


def test_approve_and_reject(db_url):
    base = add_observation(db_url, obs(value=90.0), by="a")
    proposed = propose(db_url, obs(value=99.0), by="extractor")
    assert proposed.status == "proposed" and proposed.version == 2
    # proposals are not answered
    assert latest(db_url, "Hà Giang", "online_services_rate").id == base.id
    approved = approve(db_url, proposed.id, by="reviewer")
    assert approved.status == "approved" and approved.approved_by == "reviewer"
    assert approved.approved_at is not None
    assert latest(db_url, "Hà Giang", "online_services_rate").value == 99.0
    reject(db_url, proposed.id, by="reviewer")
    assert latest(db_url, "Hà Giang", "online_services_rate").value == 90.0


def test_no_approved_figure_gives_none(db_url):
    propose(db_url, obs(), by="x")
    assert latest(db_url, "Hà Giang", "online_services_rate") is None


def _gold_figure(gold_path, indicator: str) -> dict:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    figures = gold["documents"][HA_GIANG_DOC]["figures"]
    return next(f for f in figures if f["indicator"] == indicator)


def test_seed_loading_stores_ha_giang_online_services(db_url, seeds_dir, request):
    gold = _gold_figure(
        request.config.rootpath / "tests/indicators/figures/seeds_gold.yml", "online_services_rate"
    )
    first = load_seed_figures(db_url, seeds_dir)
    assert first.created > 10 and first.files >= 1
    fig = latest(db_url, "Hà Giang", "online_services_rate")
    assert fig is not None
    assert fig.value == gold["value"] == 96.9
    assert (fig.numerator, fig.denominator) == (gold["numerator"], gold["denominator"])
    assert fig.as_of == dt.date(2023, 12, 3)
    assert "1.818/1.876" in fig.quoted_span
    assert fig.source_title and fig.source_title in (seeds_dir / HA_GIANG_DOC).read_text(
        encoding="utf-8"
    ).splitlines()[0]
    assert fig.current.code == "tuyen-quang"
    before = count_observations(db_url)
    again = load_seed_figures(db_url, seeds_dir)
    assert again.created == 0 and again.unchanged == first.created
    assert count_observations(db_url) == before


def test_seed_metadata_date(db_url, seeds_dir):
    load_seed_figures(db_url, seeds_dir, doc_meta={HA_GIANG_DOC: {"date": "2023-12-05"}})
    fig = latest(db_url, "Hà Giang", "online_services_rate")
    assert fig.source_date == dt.date(2023, 12, 5)
