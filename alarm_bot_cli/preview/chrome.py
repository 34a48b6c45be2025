"""The few words Chat itself puts around a message ("App", "Show more", "1 reply"), en and ko.

They belong to Chat's interface, not to the bot, so they are not in :mod:`alarm_bot.i18n`; the
sender's name is the bot's own (``app_name``), as a space sees it.
"""

from __future__ import annotations

from alarm_bot.i18n import CATALOGS, Translator

__all__ = ["LOCALES", "chrome_text", "reply_count", "sender_name"]

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "app": "App",
        "show_more": "Show more",
        "empty": "(an empty message: Chat would refuse it)",
        "reply": "1 reply",
        "replies": "{count} replies",
        "cards_v1": "cards (v1) are not drawn by the preview",
    },
    "ko": {
        "app": "앱",
        "show_more": "더보기",
        "empty": "(빈 메시지: Chat이 받지 않습니다)",
        "reply": "답글 1개",
        "replies": "답글 {count}개",
        "cards_v1": "cards (v1)는 미리보기에 그려지지 않습니다",
    },
}
LOCALES = tuple(_WORDS)


def chrome_text(locale: str, key: str) -> str:
    return _WORDS.get(locale, _WORDS["en"])[key]


def reply_count(locale: str, count: int) -> str:
    return chrome_text(locale, "reply") if count == 1 else chrome_text(locale, "replies").format(count=count)


def sender_name(locale: str) -> str:
    """The bot's name in ``locale`` (English for a locale the bot does not speak)."""
    return Translator(locale if locale in CATALOGS else "en")("app_name")
