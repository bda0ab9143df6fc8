"""One report for a range of dates, put together from the stored conversations (when the
gateway knows where they are), the ratings, the knowledge gaps and the handoffs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analytics.conversations import OTHER_CHANNEL, Activity, read_activity
from analytics.handoffs import HandoffStats, handoff_stats
from analytics.period import Period
from analytics.unanswered import unanswered_questions
from curation.gaps import GapSummary
from feedback.ratings import ratings_by_source, wrong_reasons

TOP = 20
# every day shows these channels, even at zero (the chart keeps its colours and its order)
MAIN_CHANNELS = ("web", "zalo")


@dataclass(frozen=True)
class DailyRow:
    day: dt.date
    channel: str
    conversations: int
    messages: int


@dataclass(frozen=True)
class WrongByCard:
    """A card or procedure marked "Chưa đúng" in the range: how often, why, when last."""

    source: str
    wrong: int
    helpful: int
    reasons: dict[str, int]
    last_rated: dt.datetime


@dataclass(frozen=True)
class Report:
    period: Period
    # False when the gateway was not told where Rasa's tracker store is: no conversation counts
    conversations_included: bool
    daily: list[DailyRow]
    total_conversations: int
    total_messages: int
    topics: list[tuple[str, int]]
    cards: list[tuple[str, int]]
    fallbacks: int
    wrong: list[WrongByCard]
    unanswered: list[GapSummary]
    handoffs: HandoffStats


def daily_rows(activity: Activity, period: Period) -> list[DailyRow]:
    """Every day of the range per channel, oldest first (other channels only when used)."""
    channels = list(MAIN_CHANNELS)
    if any(channel == OTHER_CHANNEL for _, channel in activity.messages):
        channels.append(OTHER_CHANNEL)
    return [
        DailyRow(day, channel, activity.conversations.get((day, channel), 0),
                 activity.messages.get((day, channel), 0))
        for day in period.days() for channel in channels
    ]


def wrong_by_card(database_url: str, period: Period) -> list[WrongByCard]:
    """Sources marked wrong at least once, most often first."""
    reasons = wrong_reasons(database_url, since=period.since, until=period.until)
    return [
        WrongByCard(r.source, r.wrong, r.helpful, reasons.get(r.source, {}), r.last_rated)
        for r in ratings_by_source(database_url, since=period.since, until=period.until)
        if r.wrong
    ]


def build_report(database_url: str, tracker_url: str, period: Period, *, top: int = TOP) -> Report:
    """The report of ``period``; without ``tracker_url`` the conversation counts are zero and
    ``conversations_included`` says so."""
    activity = read_activity(tracker_url, period) if tracker_url else Activity()
    return Report(
        period=period,
        conversations_included=bool(tracker_url),
        daily=daily_rows(activity, period),
        total_conversations=activity.total_conversations,
        total_messages=sum(activity.messages.values()),
        topics=activity.topics.most_common(top),
        cards=activity.cards.most_common(top),
        fallbacks=activity.fallbacks,
        wrong=wrong_by_card(database_url, period),
        unanswered=unanswered_questions(database_url, period, limit=top),
        handoffs=handoff_stats(database_url, period),
    )
