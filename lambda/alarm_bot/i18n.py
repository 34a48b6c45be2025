"""Every sentence the bot says, in English and Korean.

One table per language with the same keys; a test checks that both tables have the same keys and
the same ``{placeholders}``, so a new sentence cannot be added in one language only.
"""

from __future__ import annotations

from collections.abc import Mapping

EN: dict[str, str] = {
    "app_name": "AWS Alarms",
    "welcome_subtitle": "CloudWatch alarms for {space}",
    "welcome_body": (
        "This space now receives AWS CloudWatch alarms: one card per alarm, each alarm in its own "
        "thread, and its return to OK posted in the same thread."
    ),
    "commands_header": "Commands",
    "cmd_help": "Show this help.",
    "cmd_status": "Show what this space receives: filters and mute.",
    "cmd_subscribe": (
        "Receive alarms matching name patterns (prod-*), account:ID or account:NAME and region:CODE: "
        "every kind given must match, any term of one kind; nothing given means every alarm."
    ),
    "cmd_unsubscribe": "Remove the filters given; nothing given stops every alarm.",
    "cmd_mute": "Pause alarms in this space for 30m, 2h, 1d…",
    "cmd_unmute": "Resume alarms in this space now, including alarms muted from their cards.",
    "cmd_mention": "Mention everyone (@all) on new alarm cards in this space: on or off.",
    "commands_hint": "Type a command after @mentioning the app, or as a slash command.",
    "status_header": "Subscription of {space}",
    "status_receives": "Receives",
    "status_all_alarms": "every alarm",
    "status_no_alarms": "nothing (unsubscribed): use subscribe to resume",
    "status_patterns": "alarms matching {patterns}",
    "status_filtered": "alarms with {conditions}",
    "filter_names": "name {patterns}",
    "filter_accounts": "account {accounts}",
    "filter_regions": "region {regions}",
    "filter_or": " or ",
    "status_mute": "Mute",
    "status_muted_until": "muted until {until}",
    "status_not_muted": "not muted",
    "status_added": "Added",
    "status_added_by": "{when} by {who}",
    "status_mention": "Mention",
    "status_mention_on": "everyone (@all) on new alarms",
    "status_mention_off": "nobody",
    "status_alarm_mutes": "{count} alarm(s) muted from their cards",
    "status_firing_header": "In ALARM now: {count}",
    "status_firing_summary": "{count} in ALARM",
    "status_firing_none": "No alarm this space receives is in ALARM.",
    "status_firing_since": "since {when}",
    "status_firing_more": "… and {count} more",
    "status_firing_unavailable": (
        "Could not ask CloudWatch which alarms are in ALARM; see the function's log."
    ),
    "status_firing_open": "Open",
    "status_firing_header_partial": "In ALARM now: at least {count}",
    "status_firing_summary_partial": "at least {count} in ALARM",
    "status_firing_incomplete": (
        "CloudWatch did not list every alarm in time, so this list may be incomplete; try again later."
    ),
    "subscribed_all": "This space now receives every alarm.",
    "subscribed_filters": "This space now receives {receives}.",
    "unsubscribed_patterns": "Removed {patterns}. This space now receives {receives}.",
    "unsubscribed_all": "This space no longer receives alarms. Use subscribe to resume.",
    "muted": "Alarms are muted in this space until {until}.",
    "unmuted": "Alarms are no longer muted in this space.",
    "not_muted": "Alarms were not muted in this space.",
    "mention_on": "New alarm cards in this space now mention everyone (@all).",
    "mention_off": "New alarm cards in this space no longer mention everyone.",
    "alarm_resolved": "{alarm} is already resolved: there is nothing left to acknowledge.",
    "alarm_unknown": (
        "I no longer have this alarm's card (cards are kept for 30 days). "
        "Type status to see what is in ALARM now."
    ),
    "alarm_card_stale": "This card is out of date: {alarm} has a newer card in this thread.",
    "digest_gone": "Done. This digest is too old to redraw; type status to see what is in ALARM now.",
    "space_unknown": (
        "This space is not subscribed any more, so its alarm cards are gone. "
        "Mention me with subscribe to receive alarms again."
    ),
    "unknown_command": (
        "I don't know “{word}”. Commands: help, status, subscribe, unsubscribe, mute, unmute, mention."
    ),
    "unknown_action": "That button is no longer available. Type help for the commands.",
    "error_mute_needs_duration": "mute needs one duration, such as 30m, 2h or 1d.",
    "error_bad_duration": "“{value}” is not a duration. Use minutes, hours or days: 30m, 2h, 1d, 1h30m.",
    "error_duration_out_of_range": "“{value}” is out of range: mute for 1 minute up to 30 days.",
    "error_no_arguments": "{command} takes no arguments.",
    "error_too_many_patterns": "Give at most {limit} filters at once.",
    "error_pattern_too_long": "A pattern can be at most {limit} characters long.",
    "error_pattern_bad_character": "Patterns cannot contain control characters.",
    "error_pattern_not_in_filters": "{patterns} is not among this space's filters: {current}.",
    "error_no_patterns": "This space has no filters; it receives every alarm.",
    "error_term_unknown_key": (
        "“{term}”: {kind} is not a kind of filter. Use account:ID or account:NAME, region:CODE, "
        "or an alarm-name pattern (name:PATTERN when the pattern itself starts with a word and a colon)."
    ),
    "error_term_empty": "“{term}” has no value, as in account:123456789012 or region:ap-northeast-2.",
    "error_account_unknown": (
        "“{value}” is not an account: give a 12-digit account id or one of the names {names}."
    ),
    "error_account_not_id": (
        "“{value}” is not a 12-digit account id, and this bot knows no account by that name."
    ),
    "error_region_not_code": "“{value}” is not a region code such as ap-northeast-2 or us-east-1.",
    "error_region_hint": "“{value}” is not a region code; did you mean region:{suggestion}?",
    "error_pattern_reads_as_term": "“{term}”: a name pattern cannot start with account: or region:.",
    "error_mention_needs_switch": "mention takes on or off.",
}

KO: dict[str, str] = {
    "app_name": "AWS 알람",
    "welcome_subtitle": "{space}의 CloudWatch 알람",
    "welcome_body": (
        "이제 이 스페이스로 AWS CloudWatch 알람이 전달됩니다. 알람마다 카드 하나가 자체 스레드에 "
        "게시되며, 정상(OK)으로 돌아오면 같은 스레드에 알려 드립니다."
    ),
    "commands_header": "명령어",
    "cmd_help": "이 도움말을 표시합니다.",
    "cmd_status": "이 스페이스가 받는 알람(필터, 음소거)을 표시합니다.",
    "cmd_subscribe": (
        "이름 패턴(prod-*), account:ID 또는 account:이름, region:코드와 일치하는 알람을 받습니다. "
        "종류가 다른 조건은 모두 맞아야 하고, 같은 종류는 하나만 맞으면 됩니다. "
        "조건이 없으면 모든 알람을 받습니다."
    ),
    "cmd_unsubscribe": "지정한 필터를 제거합니다. 아무것도 지정하지 않으면 모든 알람을 중지합니다.",
    "cmd_mute": "이 스페이스의 알람을 30m, 2h, 1d 동안 일시 중지합니다.",
    "cmd_unmute": "이 스페이스의 알람을 지금 다시 받습니다. 카드에서 음소거한 알람도 포함됩니다.",
    "cmd_mention": "이 스페이스의 새 알람 카드에서 모든 사람(@all)을 멘션합니다: on 또는 off.",
    "commands_hint": "앱을 @멘션한 뒤 명령어를 입력하거나 슬래시 명령어를 사용하세요.",
    "status_header": "{space} 구독 상태",
    "status_receives": "받는 알람",
    "status_all_alarms": "모든 알람",
    "status_no_alarms": "없음(구독 해지됨): subscribe로 다시 받을 수 있습니다",
    "status_patterns": "{patterns}과(와) 일치하는 알람",
    "status_filtered": "{conditions} 조건에 맞는 알람",
    "filter_names": "이름 {patterns}",
    "filter_accounts": "계정 {accounts}",
    "filter_regions": "리전 {regions}",
    "filter_or": " 또는 ",
    "status_mute": "음소거",
    "status_muted_until": "{until}까지 음소거",
    "status_not_muted": "음소거 안 함",
    "status_added": "추가됨",
    "status_added_by": "{when}, {who} 님이 추가",
    "status_mention": "멘션",
    "status_mention_on": "새 알람마다 모든 사람(@all)",
    "status_mention_off": "안 함",
    "status_alarm_mutes": "카드에서 음소거한 알람 {count}개",
    "status_firing_header": "지금 경보 중: {count}개",
    "status_firing_summary": "경보 중 {count}개",
    "status_firing_none": "이 스페이스가 받는 알람 중 경보 상태인 알람이 없습니다.",
    "status_firing_since": "{when}부터",
    "status_firing_more": "… 외 {count}개",
    "status_firing_unavailable": (
        "CloudWatch에서 경보 중인 알람을 가져오지 못했습니다. 함수 로그를 확인하세요."
    ),
    "status_firing_open": "열기",
    "status_firing_header_partial": "지금 경보 중: {count}개 이상",
    "status_firing_summary_partial": "경보 중 {count}개 이상",
    "status_firing_incomplete": (
        "CloudWatch가 제시간에 모든 알람을 알려 주지 않아 이 목록은 일부일 수 있습니다. "
        "잠시 후 다시 시도하세요."
    ),
    "subscribed_all": "이제 이 스페이스로 모든 알람이 전달됩니다.",
    "subscribed_filters": "이제 이 스페이스로 {receives}이 전달됩니다.",
    "unsubscribed_patterns": "{patterns}을(를) 제거했습니다. 이제 이 스페이스가 받는 알람: {receives}.",
    "unsubscribed_all": "이 스페이스로 더 이상 알람이 전달되지 않습니다. subscribe로 다시 받을 수 있습니다.",
    "muted": "{until}까지 이 스페이스의 알람을 음소거합니다.",
    "unmuted": "이 스페이스의 알람 음소거를 해제했습니다.",
    "not_muted": "이 스페이스의 알람은 음소거되어 있지 않았습니다.",
    "mention_on": "이제 이 스페이스의 새 알람 카드에서 모든 사람(@all)을 멘션합니다.",
    "mention_off": "이 스페이스의 새 알람 카드에서 더 이상 모든 사람을 멘션하지 않습니다.",
    "alarm_resolved": "{alarm} 알람은 이미 해결되어 확인할 것이 없습니다.",
    "alarm_unknown": (
        "이 알람의 카드는 더 이상 보관되어 있지 않습니다(카드는 30일간 보관). "
        "status를 입력하면 지금 경보 중인 알람을 볼 수 있습니다."
    ),
    "alarm_card_stale": "오래된 카드입니다. {alarm} 알람의 새 카드가 이 스레드에 있습니다.",
    "digest_gone": (
        "처리했습니다. 이 다이제스트는 오래되어 다시 그릴 수 없습니다. "
        "지금 ALARM 상태인 알람은 `상태` 명령으로 확인하세요."
    ),
    "space_unknown": (
        "이 스페이스는 더 이상 구독 중이 아니어서 알람 카드가 없습니다. "
        "저를 멘션하고 subscribe를 입력하면 다시 알람을 받습니다."
    ),
    "unknown_command": (
        "“{word}”은(는) 알 수 없는 명령어입니다. "
        "명령어: help, status, subscribe, unsubscribe, mute, unmute, mention."
    ),
    "unknown_action": "더 이상 사용할 수 없는 버튼입니다. help를 입력하면 명령어를 볼 수 있습니다.",
    "error_mute_needs_duration": "mute에는 30m, 2h, 1d 같은 기간이 하나 필요합니다.",
    "error_bad_duration": (
        "“{value}”은(는) 기간이 아닙니다. 분, 시간, 일 단위로 입력하세요: 30m, 2h, 1d, 1h30m."
    ),
    "error_duration_out_of_range": (
        "“{value}”은(는) 범위를 벗어났습니다. 1분부터 30일까지 음소거할 수 있습니다."
    ),
    "error_no_arguments": "{command}에는 인수가 없습니다.",
    "error_too_many_patterns": "필터는 한 번에 최대 {limit}개까지 지정할 수 있습니다.",
    "error_pattern_too_long": "패턴은 최대 {limit}자까지 입력할 수 있습니다.",
    "error_pattern_bad_character": "패턴에는 제어 문자를 쓸 수 없습니다.",
    "error_pattern_not_in_filters": "{patterns}은(는) 이 스페이스의 필터가 아닙니다. 현재 필터: {current}.",
    "error_no_patterns": "이 스페이스에는 필터가 없으며 모든 알람을 받습니다.",
    "error_term_unknown_key": (
        "“{term}”: {kind}은(는) 필터 종류가 아닙니다. account:ID 또는 account:이름, region:코드, "
        "알람 이름 패턴 중 하나를 쓰세요(패턴이 단어와 콜론으로 시작하면 name:패턴)."
    ),
    "error_term_empty": "“{term}”에 값이 없습니다. 예: account:123456789012, region:ap-northeast-2.",
    "error_account_unknown": (
        "“{value}”은(는) 계정이 아닙니다. 12자리 계정 ID나 다음 이름 중 하나를 쓰세요: {names}."
    ),
    "error_account_not_id": (
        "“{value}”은(는) 12자리 계정 ID가 아니며, 이 봇에는 그런 이름의 계정도 없습니다."
    ),
    "error_region_not_code": "“{value}”은(는) ap-northeast-2, us-east-1 같은 리전 코드가 아닙니다.",
    "error_region_hint": "“{value}”은(는) 리전 코드가 아닙니다. region:{suggestion}을(를) 말씀하신 건가요?",
    "error_pattern_reads_as_term": "“{term}”: 이름 패턴은 account: 또는 region:으로 시작할 수 없습니다.",
    "error_mention_needs_switch": "mention에는 on 또는 off가 필요합니다.",
}

CATALOGS = {"en": EN, "ko": KO}


class SentenceLookup:
    """One locale's table of sentences, looked up by key with the ``{placeholders}`` filled in.

    The replies here, the alarm cards and the charts each keep tables of their own and look them up
    alike; ``fallback`` is the locale used when the tables have none for ``locale``.
    """

    def __init__(
        self, catalogs: Mapping[str, Mapping[str, str]], locale: str, *, fallback: str | None = None
    ) -> None:
        self.locale = fallback if fallback is not None and locale not in catalogs else locale
        self._catalog = catalogs[self.locale]

    def __call__(self, key: str, **params: object) -> str:
        return self._catalog[key].format(**params)


class Translator(SentenceLookup):
    """The bot's replies in the configured language: an unknown locale is a KeyError."""

    def __init__(self, locale: str) -> None:
        super().__init__(CATALOGS, locale)
