"""The words drawn on a chart and said about it, in English and Korean.

Kept apart from :mod:`alarm_bot.i18n` and :mod:`alarm_bot.alarms.alarm_text` so charts can change
without touching the bot's conversation or card tables. Both tables have the same keys and the same
``{placeholders}``; a test checks it. State words stay in CloudWatch's spelling (ALARM, OK,
INSUFFICIENT_DATA) in both languages, as on the cards, so they match what the console shows.
"""

from __future__ import annotations

from alarm_bot.i18n import SentenceLookup

EN: dict[str, str] = {
    "threshold": "Threshold {test}",
    "changed": "{state} at {time}",
    "unnamed_alarm": "(unnamed alarm)",
    "alt_text": "Graph of {name} for the {hours} h before it changed to {state}",
}

KO: dict[str, str] = {
    "threshold": "임계값 {test}",
    "changed": "{time} {state} 상태로 변경",
    "unnamed_alarm": "(이름 없는 알람)",
    "alt_text": "{name} 알람이 {state} 상태로 바뀌기 전 {hours}시간 동안의 그래프",
}

CATALOGS = {"en": EN, "ko": KO}


class ChartText(SentenceLookup):
    """Looks up a chart sentence; an unknown locale falls back to English, as cards do."""

    def __init__(self, locale: str) -> None:
        super().__init__(CATALOGS, locale, fallback="en")
