"""Actions under test answer from the offline services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.services import Services


@pytest.fixture
def make(offline_services: Services) -> Callable:
    """``make(ActionClass)``: the action on the offline services, built before the first
    action runs (as the action server warms up before it serves: a cold build would count
    against the actions' deadline)."""
    assert offline_services.knowledge.retriever.units
    offline_services.procedures()
    return lambda cls: cls(offline_services)
