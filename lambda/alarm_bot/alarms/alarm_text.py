"""Every sentence of an alarm card, in English and Korean.

Kept apart from :mod:`alarm_bot.i18n` (the bot's conversation) because alarm cards are read by
people on call: the words are short and follow the CloudWatch console. Both tables have the same
keys and the same ``{placeholders}``; a test checks it. State words stay in CloudWatch's own
spelling (ALARM, OK, INSUFFICIENT_DATA) in both languages, so people can search for them.
"""

from __future__ import annotations

from alarm_bot.i18n import SentenceLookup

EN: dict[str, str] = {
    "line_alarm": "🚨 ALARM: {name}",
    "line_ok": "✅ OK: {name}",
    "line_insufficient_data": "❔ INSUFFICIENT_DATA: {name}",
    "state_alarm": "ALARM",
    "state_ok": "OK",
    "state_insufficient_data": "INSUFFICIENT_DATA",
    "unnamed_alarm": "(unnamed alarm)",
    "label_state": "State",
    "previous_state": "was {state}",
    "label_reason": "Reason",
    "label_changed_at": "Changed at",
    "label_description": "Description",
    "label_place": "Account · Region",
    "header_metric": "Metric",
    "header_math": "Metric math",
    "header_anomaly": "Anomaly detection",
    "header_composite": "Composite alarm",
    "label_metric": "Metric",
    "label_statistic": "Statistic",
    "label_condition": "Condition",
    "label_threshold": "Threshold",
    "label_missing_data": "Missing data treated as",
    "label_band": "Anomaly band",
    "label_rule": "Rule",
    "label_triggering": "Triggering alarm",
    "query_evaluated": "{query} (evaluated)",
    "condition_with_period": "{test} for {datapoints} of {periods} periods of {period}",
    "condition": "{test} for {datapoints} of {periods} periods",
    "band_outside": "outside the band",
    "band_above": "above the band",
    "band_below": "below the band",
    "duration_seconds": "{count} s",
    "duration_minutes": "{count} min",
    "duration_hours": "{count} h",
    "duration_days": "{count} d",
    "more_rows": "… and {count} more",
    "open_console": "Open in CloudWatch",
    "generic_title": "AWS notification",
    "label_severity": "Severity",
    "label_time": "Time",
    "button_acknowledge": "Acknowledge",
    "button_mute_1h": "Mute here 1h",
    "button_mute_1d": "Mute here 1d",
    "acknowledged_by": "Acknowledged by {people}",
    "ack_person": "{name} at {time}",
    "muted_here_until": "Muted here until {until}",
    "resolved_after": "Resolved at {time} after {duration}",
    "someone": "someone",
    "digest_title": "{count} alarms changed state",
    "digest_title_other": "{count} notifications",
    "digest_line": "🚨 {count} alarms changed state: {parts}",
    "digest_line_other": "🔔 {count} notifications",
    "digest_other": "{count} other notifications",
    "digest_more": "… and {count} more. Type status to see what is in ALARM now.",
    "digest_more_next": "… and {count} more, in the next digest. Type status to see what is in ALARM now.",
    "digest_part": "{title} ({part}/{parts})",
    "digest_between": "{start} to {end}",
    "digest_update_title": "{count} changes in this digest",
    "digest_update_line": "Changes in the digest above: {parts}",
    "late_note": (
        "⏪ Late: {state} of {name} at {time} arrived after a newer state was shown; nothing was changed."
    ),
    "late_marker": "arrived late",
    "button_actions": "Actions",
}

KO: dict[str, str] = {
    "line_alarm": "🚨 {name} 알람이 발생했습니다",
    "line_ok": "✅ {name} 알람이 해제되었습니다 (정상)",
    "line_insufficient_data": "❔ {name} 알람의 데이터가 부족합니다",
    "state_alarm": "ALARM (경보)",
    "state_ok": "OK (정상)",
    "state_insufficient_data": "INSUFFICIENT_DATA (데이터 부족)",
    "unnamed_alarm": "(이름 없는 알람)",
    "label_state": "상태",
    "previous_state": "이전 상태: {state}",
    "label_reason": "사유",
    "label_changed_at": "변경 시각",
    "label_description": "설명",
    "label_place": "계정 · 리전",
    "header_metric": "지표",
    "header_math": "지표 수식",
    "header_anomaly": "이상 탐지",
    "header_composite": "복합 알람",
    "label_metric": "지표",
    "label_statistic": "통계",
    "label_condition": "조건",
    "label_threshold": "임계값",
    "label_missing_data": "누락 데이터 처리",
    "label_band": "이상 탐지 밴드",
    "label_rule": "규칙",
    "label_triggering": "원인 알람",
    "query_evaluated": "{query} (평가 대상)",
    "condition_with_period": "{period} 기간 {periods}개 중 {datapoints}개에서 {test}",
    "condition": "기간 {periods}개 중 {datapoints}개에서 {test}",
    "band_outside": "밴드 범위를 벗어남",
    "band_above": "밴드 상한 초과",
    "band_below": "밴드 하한 미만",
    "duration_seconds": "{count}초",
    "duration_minutes": "{count}분",
    "duration_hours": "{count}시간",
    "duration_days": "{count}일",
    "more_rows": "… 외 {count}개",
    "open_console": "CloudWatch에서 열기",
    "generic_title": "AWS 알림",
    "label_severity": "심각도",
    "label_time": "시각",
    "button_acknowledge": "확인",
    "button_mute_1h": "여기서 1시간 음소거",
    "button_mute_1d": "여기서 1일 음소거",
    "acknowledged_by": "확인: {people}",
    "ack_person": "{name} 님({time})",
    "muted_here_until": "{until}까지 이 스페이스에서 음소거됨",
    "resolved_after": "{time}에 해결됨 ({duration} 지속)",
    "someone": "알 수 없는 사용자",
    "digest_title": "알람 {count}개의 상태가 바뀌었습니다",
    "digest_title_other": "알림 {count}개",
    "digest_line": "🚨 알람 {count}개의 상태가 바뀌었습니다: {parts}",
    "digest_line_other": "🔔 알림 {count}개",
    "digest_other": "기타 알림 {count}개",
    "digest_more": "… 외 {count}개. 지금 ALARM 상태인 알람은 `상태` 명령으로 확인하세요.",
    "digest_more_next": (
        "… 외 {count}개는 다음 다이제스트에 표시됩니다. 지금 ALARM 상태인 알람은 `상태` 명령으로 확인하세요."
    ),
    "digest_part": "{title} ({parts}개 중 {part}번째)",
    "digest_between": "{start}부터 {end}까지",
    "digest_update_title": "이 다이제스트에서 {count}건이 바뀌었습니다",
    "digest_update_line": "위 다이제스트의 변경: {parts}",
    "late_note": (
        "⏪ 늦게 도착: {name}의 {state}({time})는 더 최근 상태가 표시된 뒤에 도착했습니다. "
        "변경 사항은 없습니다."
    ),
    "late_marker": "늦게 도착",
    "button_actions": "작업",
}

CATALOGS = {"en": EN, "ko": KO}


class AlarmText(SentenceLookup):
    """Looks up an alarm-card sentence; an unknown locale falls back to English.

    Settings already reject unknown locales; falling back here means a card is still delivered if
    a caller passes something else.
    """

    def __init__(self, locale: str) -> None:
        super().__init__(CATALOGS, locale, fallback="en")
