import pytest


@pytest.fixture(autouse=True)
def _offline_knowledge(offline_knowledge):
    """Actions answer from the offline knowledge base in unit tests."""
    return offline_knowledge
