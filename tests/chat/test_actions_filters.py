"""subscribe / unsubscribe / status with account and region terms, against the store on moto, en and ko."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.status import status_message
from alarm_bot.i18n import Translator
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.chat.test_actions import clock, event, settings, store  # noqa: F401 - fixtures
from tests.support.local_queue import VirtualClock

NAMES = {"111122223333": "prod", "444455556666": "staging"}


def say(store: DynamoSpaceStore, clock: VirtualClock, text: str, locale: str = "en") -> str:  # noqa: F811
    bot = ChatBot(dataclasses.replace(settings(locale), account_names=NAMES), store, clock)
    outcome = bot.handle(event(text=text))
    assert outcome.message is not None
    return str(outcome.message["text"])


def stored(store: DynamoSpaceStore) -> tuple[str, ...]:  # noqa: F811
    record = store.get("spaces/AAA")
    assert record is not None
    return record.filters


@dataclasses.dataclass(frozen=True)
class FilterConversation:
    """What a space says in turn, the reply each line must get (``None``: any reply, it only sets
    things up), and the filters left stored (``None``: not checked)."""

    lines: tuple[tuple[str, str | None], ...]
    locale: str = "en"
    filters_left: tuple[str, ...] | None = None


FILTER_CONVERSATIONS = [
    pytest.param(
        FilterConversation(
            (
                (
                    "subscribe account:prod region:ap-northeast-2 region:us-east-1 payments-*",
                    "This space now receives alarms with name `payments-*` · account `prod` · "
                    "region `ap-northeast-2` or `us-east-1`.",
                ),
                (
                    "status",
                    "Subscription of 운영팀: alarms with name `payments-*` · account `prod` · "
                    "region `ap-northeast-2` or `us-east-1`; not muted",
                ),
            ),
            filters_left=("account:111122223333", "payments-*", "region:ap-northeast-2", "region:us-east-1"),
        ),
        id="subscribe stores ids and says what the space receives now",
    ),
    pytest.param(
        FilterConversation(
            (
                ("subscribe payments-*", None),
                (
                    "subscribe account:999988887777",
                    "This space now receives alarms with name `payments-*` · account `999988887777`.",
                ),
            )
        ),
        id="a new kind of term narrows what the space already had",
    ),
    pytest.param(
        FilterConversation(
            (
                ("subscribe account:prod account:staging region:eu-west-1 pay-*", None),
                (
                    "unsubscribe account:STAGING region:eu-west-1",
                    "Removed `account:staging`, `region:eu-west-1`. "
                    "This space now receives alarms with name `pay-*` · account `prod`.",
                ),
                (
                    "unsubscribe account:111122223333 pay-*",
                    "Removed `pay-*`, `account:prod`. This space now receives every alarm.",
                ),
            ),
            filters_left=(),
        ),
        id="unsubscribe removes terms as status shows them",
    ),
    pytest.param(
        FilterConversation(
            (
                (
                    "구독 계정:prod 리전:ap-northeast-2 결제-*",
                    "이제 이 스페이스로 이름 `결제-*` · 계정 `prod` · 리전 `ap-northeast-2` "
                    "조건에 맞는 알람이 전달됩니다.",
                ),
                (
                    "상태",
                    "운영팀 구독 상태: 이름 `결제-*` · 계정 `prod` · 리전 `ap-northeast-2` "
                    "조건에 맞는 알람; 음소거 안 함",
                ),
                (
                    "구독해지 리전:ap-northeast-2 결제-*",
                    "`결제-*`, `region:ap-northeast-2`을(를) 제거했습니다. "
                    "이제 이 스페이스가 받는 알람: 계정 `prod` 조건에 맞는 알람.",
                ),
                ("구독 리전:서울", "“서울”은(는) ap-northeast-2, us-east-1 같은 리전 코드가 아닙니다."),
            ),
            locale="ko",
        ),
        id="korean words and replies",
    ),
]


@pytest.mark.parametrize("conversation", FILTER_CONVERSATIONS)
def test_filter_conversations_get_the_replies_in_the_table(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
    conversation: FilterConversation,
) -> None:
    for line, expected in conversation.lines:
        reply = say(store, clock, line, conversation.locale)
        if expected is not None:
            assert reply == expected, line
    if conversation.filters_left is not None:
        assert stored(store) == conversation.filters_left


def test_a_term_the_space_does_not_have_changes_nothing(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
) -> None:
    say(store, clock, "subscribe account:prod region:eu-west-1")
    before = store.get("spaces/AAA")
    assert say(store, clock, "unsubscribe account:staging region:eu-west-1") == (
        "`account:staging` is not among this space's filters: `account:prod`, `region:eu-west-1`."
    )
    assert store.get("spaces/AAA") == before


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("subscribe account:12345 pay-*", "“12345” is not an account: give a 12-digit account id or one of"),
        ("subscribe region:Seoul", "“Seoul” is not a region code; did you mean region:ap-northeast-2?"),
        ("subscribe acount:prod", "“acount:prod”: acount: is not a kind of filter."),
        ("unsubscribe region:Seoul", "“Seoul” is not a region code; did you mean"),
    ],
)
def test_bad_terms_are_explained_and_store_nothing(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
    text: str,
    reply: str,
) -> None:
    say(store, clock, "subscribe prod-*")
    before = store.get("spaces/AAA")
    assert say(store, clock, text).startswith(reply)
    assert store.get("spaces/AAA") == before


def test_the_status_card_shows_the_filters_and_an_unnamed_account_by_id(dynamodb: Any) -> None:
    record = SpaceRecord(
        "spaces/AAA", filters=("account:111122223333", "account:999988887777", "region:eu-west-1")
    )
    message = status_message(Translator("en"), record, 0.0, "UTC", account_names=NAMES)
    (receives, *_) = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    assert receives["decoratedText"]["text"] == (
        "alarms with account `999988887777` or `prod` · region `eu-west-1`"
    )
