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


def test_subscribe_stores_ids_and_says_what_the_space_receives_now(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
) -> None:
    reply = say(store, clock, "subscribe account:prod region:ap-northeast-2 region:us-east-1 payments-*")
    assert reply == (
        "This space now receives alarms with name `payments-*` · account `prod` · "
        "region `ap-northeast-2` or `us-east-1`."
    )
    assert stored(store) == (
        "account:111122223333",
        "payments-*",
        "region:ap-northeast-2",
        "region:us-east-1",
    )
    assert say(store, clock, "status") == (
        "Subscription of 운영팀: alarms with name `payments-*` · account `prod` · "
        "region `ap-northeast-2` or `us-east-1`; not muted"
    )


def test_a_new_kind_of_term_narrows_what_the_space_already_had(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
) -> None:
    say(store, clock, "subscribe payments-*")
    assert say(store, clock, "subscribe account:999988887777") == (
        "This space now receives alarms with name `payments-*` · account `999988887777`."
    )


def test_unsubscribe_removes_terms_as_status_shows_them(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
) -> None:
    say(store, clock, "subscribe account:prod account:staging region:eu-west-1 pay-*")
    assert say(store, clock, "unsubscribe account:STAGING region:eu-west-1") == (
        "Removed `account:staging`, `region:eu-west-1`. "
        "This space now receives alarms with name `pay-*` · account `prod`."
    )
    assert say(store, clock, "unsubscribe account:111122223333 pay-*") == (
        "Removed `pay-*`, `account:prod`. This space now receives every alarm."
    )
    assert stored(store) == ()


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


def test_korean_words_and_replies(
    store: DynamoSpaceStore,  # noqa: F811
    clock: VirtualClock,  # noqa: F811
) -> None:
    assert say(store, clock, "구독 계정:prod 리전:ap-northeast-2 결제-*", "ko") == (
        "이제 이 스페이스로 이름 `결제-*` · 계정 `prod` · 리전 `ap-northeast-2` "
        "조건에 맞는 알람이 전달됩니다."
    )
    assert say(store, clock, "상태", "ko") == (
        "운영팀 구독 상태: 이름 `결제-*` · 계정 `prod` · 리전 `ap-northeast-2` 조건에 맞는 알람; 음소거 안 함"
    )
    assert say(store, clock, "구독해지 리전:ap-northeast-2 결제-*", "ko") == (
        "`결제-*`, `region:ap-northeast-2`을(를) 제거했습니다. "
        "이제 이 스페이스가 받는 알람: 계정 `prod` 조건에 맞는 알람."
    )
    assert say(store, clock, "구독 리전:서울", "ko") == (
        "“서울”은(는) ap-northeast-2, us-east-1 같은 리전 코드가 아닙니다."
    )


def test_the_status_card_shows_the_filters_and_an_unnamed_account_by_id(dynamodb: Any) -> None:
    record = SpaceRecord(
        "spaces/AAA", filters=("account:111122223333", "account:999988887777", "region:eu-west-1")
    )
    message = status_message(Translator("en"), record, 0.0, "UTC", account_names=NAMES)
    (receives, *_) = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    assert receives["decoratedText"]["text"] == (
        "alarms with account `999988887777` or `prod` · region `eu-west-1`"
    )
