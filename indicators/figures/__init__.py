"""Indicator figures in Vietnamese provincial Đề án 06 reports: parsing, extraction, scoring."""

from indicators.figures.extract import ProposedObservation, extract_figures
from indicators.figures.indicators import load_catalogue, load_indicators

__all__ = ["ProposedObservation", "extract_figures", "load_catalogue", "load_indicators"]
