"""POST /api/feedback: a citizen rates one answer of their conversation in the widget."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from channels.dependencies import RasaDep, SettingsDep, client_ip
from channels.errors import error_response, too_many_requests
from channels.schemas import ErrorResponse, FeedbackRequest, FeedbackResponse
from feedback.conversation import find_answer
from feedback.ratings import THANKS, record_rating
from vntext import mask_pii

logger = logging.getLogger("channels.feedback")
router = APIRouter(prefix="/api", tags=["feedback"])

@router.post(
    "/feedback",
    response_model=FeedbackResponse,
    responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
               429: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
async def rate_answer(
    body: FeedbackRequest, request: Request, rasa: RasaDep, settings: SettingsDep
) -> FeedbackResponse | JSONResponse:
    """Stores the rating of an answer the assistant gave in this conversation (the question
    and the answer are read from the conversation Rasa stored, never taken from the client)."""
    wait = request.app.state.ip_rate_limiter.check(client_ip(request))
    if wait:
        return too_many_requests(
            request, "rate_limited",
            f"Anh/chị gửi quá nhanh, vui lòng đợi khoảng {wait} giây rồi thử lại.",
            f"Too many requests; retry after {wait} s.", wait,
        )
    events = await rasa.conversation_events(body.sender_id)
    answer = find_answer(events, body.source)
    if answer is None:
        return error_response(
            request, 404, "answer_not_found",
            "Không tìm thấy câu trả lời này trong cuộc trò chuyện của anh/chị.",
            "No such answer in this conversation.",
        )
    await asyncio.to_thread(
        record_rating, settings.database.url, sender_id=body.sender_id, channel="web",
        answer=answer, rating=body.rating, reason=body.reason,
    )
    logger.info("request_id=%s sender=%s rated %s %s", request.state.request_id,
                mask_pii(body.sender_id), answer.source, body.rating)
    return FeedbackResponse(message=THANKS[body.rating])
