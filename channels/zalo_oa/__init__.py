"""Zalo Official Account (Open API v3) channel: signed webhook events, customer-service
replies with a self-refreshing access token, and the administration CLI."""

from channels.zalo_oa.build import build_oa_service, missing_settings
from channels.zalo_oa.events import OAEvent, parse_event
from channels.zalo_oa.service import ZaloOAService

__all__ = ["OAEvent", "ZaloOAService", "build_oa_service", "missing_settings", "parse_event"]
