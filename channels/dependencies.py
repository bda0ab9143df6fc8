"""FastAPI dependencies of the gateway, as type aliases for the routers' signatures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from channels.rasa_client import RasaClient
from core.config import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (one object per process)."""
    return request.app.state.settings


def get_rasa(request: Request) -> RasaClient:
    """The Rasa client created in the app's lifespan."""
    return request.app.state.rasa


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
