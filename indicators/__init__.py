"""Đề án 06 indicator data: reference tables, versioned observations, import, queries, charts."""

from indicators.observations import (
    ObservationInput,
    add_observation,
    approve,
    load_seed_figures,
    propose,
    reject,
)
from indicators.query import Figure, compare, latest, ranking, trend
from indicators.reference import sync_reference

__all__ = [
    "Figure",
    "ObservationInput",
    "add_observation",
    "approve",
    "compare",
    "latest",
    "load_seed_figures",
    "propose",
    "ranking",
    "reject",
    "sync_reference",
    "trend",
]
