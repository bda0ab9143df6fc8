"""Embedding models and conversion utilities."""
