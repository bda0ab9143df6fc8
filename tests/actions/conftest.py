"""Actions under test answer from the offline services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.services import Services


@pytest.fixture
def make(offline_services: Services) -> Callable:
    """``make(ActionClass)``: the action on the offline services."""
    return lambda cls: cls(offline_services)
