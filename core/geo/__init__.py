"""Geographic reference data: provincial units before and after the 2025 merger."""

from core.geo.provinces import (
    Province,
    ProvinceMention,
    ProvinceRegistry,
    current_unit,
    find_provinces,
    load_provinces,
    resolve_province,
)

__all__ = [
    "Province",
    "ProvinceMention",
    "ProvinceRegistry",
    "current_unit",
    "find_provinces",
    "load_provinces",
    "resolve_province",
]
