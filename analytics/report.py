"""One report for a range of dates, put together from the stored conversations (when the
gateway knows where they are), the ratings, the knowledge gaps and the handoffs, plus the daily
counts kept of days whose records retention purged (analytics/archive.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from analytics.archive import archived_counts
from analytics.conversations import OTHER_CHANNEL, Activity, read_activity
from analytics.handoffs import HandoffStats, handoff_stats
from analytics.models import DailyCount
from analytics.period import Period
from analytics.unanswered import unanswered_questions
from curation.gaps import GapSummary
from feedback.ratings import ratings_by_source, wrong_reasons

TOP = 20
# every day shows these channels, even at zero (the chart keeps its colours and its order)
MAIN_CHANNELS = ("web", "zalo")
ZALO_OA_CHANNEL = "zalooa"


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
    used = {channel for _, channel in activity.messages}
    channels += [c for c in (ZALO_OA_CHANNEL, OTHER_CHANNEL) if c in used]
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


def add_kept_counts(activity: Activity, kept: list[DailyCount]) -> Counter[tuple[str, str]]:
    """Adds the counts kept of purged days (analytics/archive.py) to the live ones; returns
    the kept ratings and handoffs by (measure, key). A conversation of several purged days
    counts once per day in the total (the ids are gone)."""
    other: Counter[tuple[str, str]] = Counter()
    for row in kept:
        cell = (row.day, row.channel)
        if row.measure in ("conversations", "messages"):
            table = getattr(activity, row.measure)
            table[cell] = table.get(cell, 0) + row.value
            if row.measure == "conversations":
                activity.total_conversations += row.value
        elif row.measure == "topic":
            activity.topics[row.key] += row.value
        elif row.measure == "card":
            activity.cards[row.key] += row.value
        elif row.measure == "fallbacks":
            activity.fallbacks += row.value
        else:
            other[(row.measure, row.key)] += row.value
    return other


def _with_kept_ratings(wrong: list[WrongByCard],
                       kept: Counter[tuple[str, str]]) -> list[WrongByCard]:
    by_source = {w.source: w for w in wrong}
    for (measure, source), value in kept.items():
        if measure not in ("rated_wrong", "rated_helpful"):
            continue
        now = by_source.get(source) or WrongByCard(source, 0, 0, {}, dt.datetime.min.replace(
            tzinfo=dt.timezone.utc))
        by_source[source] = replace(
            now, wrong=now.wrong + (value if measure == "rated_wrong" else 0),
            helpful=now.helpful + (value if measure == "rated_helpful" else 0))
    return sorted((w for w in by_source.values() if w.wrong),
                  key=lambda w: (-w.wrong, w.source))


def _with_kept_handoffs(stats: HandoffStats, kept: Counter[tuple[str, str]]) -> HandoffStats:
    by_status = Counter(stats.by_status)
    for (measure, status), value in kept.items():
        if measure == "handoffs":
            by_status[status] += value
    return replace(stats, by_status=dict(by_status))


def build_report(database_url: str, tracker_url: str, period: Period, *, top: int = TOP) -> Report:
    """The report of ``period``; without ``tracker_url`` the conversation counts are zero and
    ``conversations_included`` says so."""
    activity = read_activity(tracker_url, period) if tracker_url else Activity()
    kept = add_kept_counts(activity, archived_counts(database_url, period.start, period.end))
    return Report(
        period=period,
        conversations_included=bool(tracker_url),
        daily=daily_rows(activity, period),
        total_conversations=activity.total_conversations,
        total_messages=sum(activity.messages.values()),
        topics=activity.topics.most_common(top),
        cards=activity.cards.most_common(top),
        fallbacks=activity.fallbacks,
        wrong=_with_kept_ratings(wrong_by_card(database_url, period), kept),
        unanswered=unanswered_questions(database_url, period, limit=top),
        handoffs=_with_kept_handoffs(handoff_stats(database_url, period), kept),
    )
