"""Shared FastAPI dependencies."""

from __future__ import annotations

from fastapi import Request

from channels.rasa_client import RasaClient
from channels.settings import GatewaySettings


def get_rasa(request: Request) -> RasaClient:
    """The Rasa client created in the app's lifespan."""
    return request.app.state.rasa


def get_gateway_settings(request: Request) -> GatewaySettings:
    """The settings the app was built with."""
    return request.app.state.settings
