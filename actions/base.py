"""What every project action shares: the services it answers from, passed in or the
process's own."""

from __future__ import annotations

from assistant.services import Services, services


class ServiceAction:
    """Mixin: ``self.services`` is the ``Services`` given at construction (tests) or the
    process's (the action server registers actions without arguments)."""

    def __init__(self, on: Services | None = None) -> None:
        self._on = on

    @property
    def services(self) -> Services:
        return self._on or services()
