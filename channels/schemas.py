"""Request and response bodies of the public API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator

from vntext import normalize

MAX_MESSAGE_CHARS = 2000
# checked before normalising (which costs time in proportion to the text)
MAX_RAW_MESSAGE_CHARS = 4 * MAX_MESSAGE_CHARS
SENDER_PATTERN = r"^[A-Za-z0-9_.:@\-]{1,64}$"
# sender ids of other channels: a web client may not write into a Zalo user's conversation
RESERVED_SENDER_PREFIXES = ("zalo:", "zalooa:", "oa:")


def _own_channel(value: str) -> str:
    if value.lower().startswith(RESERVED_SENDER_PREFIXES):
        raise ValueError("sender_id prefix is reserved for another channel")
    return value


# a conversation id a web client may use: its own, never a Zalo user's
SenderId = Annotated[str, Field(pattern=SENDER_PATTERN), AfterValidator(_own_channel)]


class ChatRequest(BaseModel):
    """One user message from the web widget or an API client."""

    sender_id: SenderId = Field(description="Conversation id chosen by the client")
    message: str = Field(description="User text, 1–2000 characters after normalisation")

    @field_validator("message")
    @classmethod
    def _normalised_length(cls, value: str) -> str:
        if len(value) > MAX_RAW_MESSAGE_CHARS:
            raise ValueError(f"message longer than {MAX_MESSAGE_CHARS} characters")
        text = normalize(value)
        if not text:
            raise ValueError("message is empty")
        if len(text) > MAX_MESSAGE_CHARS:
            raise ValueError(f"message longer than {MAX_MESSAGE_CHARS} characters")
        return text


class Button(BaseModel):
    """A quick reply: the title is shown, the payload is sent back when clicked."""

    title: str
    payload: str


class BotMessage(BaseModel):
    """One bubble of the assistant's reply."""

    text: str | None = None
    buttons: list[Button] = []
    image: str | None = None
    # what the bubble is: "answer", "clarify" (did you mean…), "fallback" (not known), and the
    # card or procedure it came from — for feedback and evaluation
    kind: str | None = None
    source: str | None = None


class ChatResponse(BaseModel):
    """The assistant's reply, in order."""

    messages: list[BotMessage]


class ErrorBody(BaseModel):
    """Error details in Vietnamese (for people) and English (for developers)."""

    code: str
    message: str
    message_en: str
    fields: list[str] = []


class ErrorResponse(BaseModel):
    """Every 4xx/5xx from the gateway has this shape."""

    error: ErrorBody
    request_id: str | None = None


class ComponentHealth(BaseModel):
    """State of one component behind the gateway."""

    status: Literal["ok", "down"]
    detail: str | None = None


class HealthResponse(BaseModel):
    """Overall state and each component's."""

    status: Literal["ok", "degraded"]
    components: dict[str, ComponentHealth]
    # per child of the process supervisor: state, restarts, last exit code, crash loop
    supervisor: dict[str, dict[str, Any]] | None = None


class LoginRequest(BaseModel):
    """Staff credentials (citizens use the assistant without an account)."""

    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class LoginResponse(BaseModel):
    """A short-lived bearer token for ``Authorization: Bearer …`` on /api/chat."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    role: str
    province: str | None = None


class FeedbackRequest(BaseModel):
    """A rating of one answer of the conversation ("source" as the answer's bubble gave it)."""

    sender_id: SenderId = Field(description="The conversation's id")
    source: str = Field(min_length=1, max_length=200,
                        description="The rated answer's source (card unit or procedure)")
    rating: Literal["helpful", "wrong"]
    reason: Literal["wrong_info", "not_what_i_asked", "hard_to_understand"] | None = None


class FeedbackResponse(BaseModel):
    """The thanks shown to the citizen."""

    message: str


class HandoffItem(BaseModel):
    """One conversation in the staff queue."""

    id: int
    channel: str
    status: Literal["waiting", "held"]
    topic: str | None
    waiting_seconds: int
    position: int  # 1 for the first waiting conversation, 0 when held
    taken_by: str | None


class HandoffQueue(BaseModel):
    items: list[HandoffItem]


class HandoffMessageOut(BaseModel):
    id: int
    at: str
    author: Literal["citizen", "assistant", "staff"]
    staff: str | None
    text: str


class HandoffTranscript(BaseModel):
    id: int
    status: str
    taken_by: str | None
    messages: list[HandoffMessageOut]


class StaffReply(BaseModel):
    """A staff member's reply to the citizen (1–2000 characters)."""

    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class StaffCard(BaseModel):
    """A knowledge card staff send to the citizen, by its id (``card:`` prefix allowed)."""

    card: str = Field(min_length=1, max_length=110)


class HandoffUpdate(BaseModel):
    id: int
    author: Literal["assistant", "staff"]
    text: str


class ChatUpdates(BaseModel):
    """Messages from staff since the last poll, and where the handoff stands ("none" when the
    conversation never asked for a person)."""

    status: Literal["none", "waiting", "held", "returned", "closed", "expired"]
    messages: list[HandoffUpdate]
    last_id: int = 0


class AnalyticsDay(BaseModel):
    """One day (in Vietnam) and channel: conversations with a citizen's message, and messages."""

    day: str
    channel: Literal["web", "zalo", "other"]
    conversations: int
    messages: int


class AnalyticsCount(BaseModel):
    """A topic (intent) or a card/procedure source, and how often."""

    name: str
    count: int


class AnalyticsWrong(BaseModel):
    """A card or procedure marked "Chưa đúng" in the range; reasons by code ("" = none given)."""

    source: str
    wrong: int
    helpful: int
    reasons: dict[str, int]
    last_rated: str


class AnalyticsUnanswered(BaseModel):
    """An open question without an answer: a masked example wording, how often, when last."""

    example: str
    count: int
    last_asked: str


class AnalyticsHandoffs(BaseModel):
    """Requests for a person in the range: by state, and the waits of those taken."""

    by_status: dict[str, int]
    total: int
    taken: int
    median_wait_seconds: int | None
    max_wait_seconds: int | None


class AnalyticsReport(BaseModel):
    """The console's "Thống kê" for ``date_from``–``date_to`` (local dates, both included)."""

    date_from: str
    date_to: str
    conversations_included: bool
    notes: list[str]
    total_conversations: int
    total_messages: int
    fallbacks: int
    daily: list[AnalyticsDay]
    topics: list[AnalyticsCount]
    cards: list[AnalyticsCount]
    wrong: list[AnalyticsWrong]
    unanswered: list[AnalyticsUnanswered]
    handoffs: AnalyticsHandoffs


class GapOut(BaseModel):
    """A group of unanswered questions (numbers masked)."""

    key: str
    example: str
    count: int
    last_asked: str


class GapList(BaseModel):
    items: list[GapOut]


class DraftIn(BaseModel):
    """A card draft as staff wrote it: the whole Markdown file with its front matter."""

    text: str = Field(min_length=1, max_length=20_000)
    origin_kind: Literal["gap", "wrong", "new"] = "new"
    origin: str | None = Field(default=None, max_length=500)


class DraftStart(BaseModel):
    text: str
    origin_kind: Literal["gap", "wrong", "new"]
    origin: str | None


class CardPreview(BaseModel):
    """How a drafted card reads, and what must change before it can be published."""

    card_id: str
    title: str
    topic: str
    questions: list[str]
    body: str
    sources: list[dict[str, str | None]]
    problems: list[str]


class DraftOut(BaseModel):
    id: int
    card_id: str
    title: str
    text: str
    origin_kind: str
    origin: str | None
    status: str
    author: str
    updated_at: str
    published_by: str | None
    published_at: str | None
    problem: str | None
    preview: CardPreview


class DraftList(BaseModel):
    items: list[DraftOut]
