"""Filter terms as typed (``account:``, ``region:``, patterns; English and Korean) and precise errors."""

from __future__ import annotations

import pytest

from alarm_bot.chat.commands import Command, CommandArgumentError, read_command
from alarm_bot.i18n import Translator

SLASH = {"3": "subscribe", "4": "unsubscribe"}
NAMES = {"111122223333": "prod", "444455556666": "Staging"}


def terms(text: str) -> tuple[str, ...]:
    command = read_command(text, None, SLASH, NAMES)
    assert isinstance(command, Command)
    return command.terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "subscribe account:prod region:ap-northeast-2 payments-*",
            ("account:111122223333", "region:ap-northeast-2", "payments-*"),
        ),
        ("subscribe account:111122223333", ("account:111122223333",)),
        ("subscribe account:999988887777", ("account:999988887777",)),  # any id, named or not
        ("subscribe account:STAGING Account:staging", ("account:444455556666",)),  # once, any case
        ("subscribe REGION:US-EAST-1 region:eu-west-1", ("region:us-east-1", "region:eu-west-1")),
        ("subscribe region:us-gov-west-1", ("region:us-gov-west-1",)),
        ("unsubscribe account:prod", ("account:111122223333",)),
        ("subscribe name:ECS:High* prod-api:5xx", ("ECS:High*", "prod-api:5xx")),
        (
            "구독 계정:prod 리전:ap-northeast-2 결제-*",
            ("account:111122223333", "region:ap-northeast-2", "결제-*"),
        ),
        ("구독해지 계정:Staging", ("account:444455556666",)),
        ("구독 이름:결제:*", ("결제:*",)),
    ],
)
def test_terms_are_read_into_their_stored_form(text: str, expected: tuple[str, ...]) -> None:
    assert terms(text) == expected


def test_a_slash_command_takes_the_same_terms() -> None:
    command = read_command("/subscribe account:prod region:eu-west-1", "3", SLASH, NAMES)
    assert command == Command("subscribe", terms=("account:111122223333", "region:eu-west-1"))


@pytest.mark.parametrize(
    ("text", "code", "en", "ko"),
    [
        (
            "subscribe account:12345",
            "account_unknown",
            "“12345” is not an account: give a 12-digit account id or one of the names prod, Staging.",
            "“12345”은(는) 계정이 아닙니다. 12자리 계정 ID나 다음 이름 중 하나를 쓰세요: prod, Staging.",
        ),
        (
            "subscribe region:Seoul",
            "region_hint",
            "“Seoul” is not a region code; did you mean region:ap-northeast-2?",
            "“Seoul”은(는) 리전 코드가 아닙니다. region:ap-northeast-2을(를) 말씀하신 건가요?",
        ),
        (
            "subscribe region:Europe",
            "region_not_code",
            "“Europe” is not a region code such as ap-northeast-2 or us-east-1.",
            "“Europe”은(는) ap-northeast-2, us-east-1 같은 리전 코드가 아닙니다.",
        ),
        (
            "subscribe acount:prod",
            "term_unknown_key",
            "“acount:prod”: acount: is not a kind of filter. Use account:ID or account:NAME, "
            "region:CODE, or an alarm-name pattern (name:PATTERN when the pattern itself starts "
            "with a word and a colon).",
            "“acount:prod”: acount:은(는) 필터 종류가 아닙니다. account:ID 또는 account:이름, "
            "region:코드, 알람 이름 패턴 중 하나를 쓰세요(패턴이 단어와 콜론으로 시작하면 name:패턴).",
        ),
        (
            "unsubscribe region:",
            "term_empty",
            "“region:” has no value, as in account:123456789012 or region:ap-northeast-2.",
            "“region:”에 값이 없습니다. 예: account:123456789012, region:ap-northeast-2.",
        ),
        (
            "subscribe name:account:x",
            "pattern_reads_as_term",
            "“name:account:x”: a name pattern cannot start with account: or region:.",
            "“name:account:x”: 이름 패턴은 account: 또는 region:으로 시작할 수 없습니다.",
        ),
    ],
)
def test_a_bad_term_is_named_precisely_in_both_languages(text: str, code: str, en: str, ko: str) -> None:
    with pytest.raises(CommandArgumentError) as caught:
        read_command(text, None, SLASH, NAMES)
    error = caught.value
    assert error.code == code
    assert Translator("en")(f"error_{code}", **error.params) == en
    assert Translator("ko")(f"error_{code}", **error.params) == ko


def test_without_account_names_only_ids_are_accounts() -> None:
    with pytest.raises(CommandArgumentError) as caught:
        read_command("subscribe account:prod", None, SLASH)
    assert caught.value.code == "account_not_id"
    assert Translator("en")("error_account_not_id", **caught.value.params) == (
        "“prod” is not a 12-digit account id, and this bot knows no account by that name."
    )


def test_the_first_bad_term_rejects_the_whole_command() -> None:
    with pytest.raises(CommandArgumentError) as caught:
        read_command("subscribe payments-* account:prod region:Mars", None, SLASH, NAMES)
    assert caught.value.code == "region_not_code"


def test_an_echoed_term_cannot_mention_or_link() -> None:
    with pytest.raises(CommandArgumentError) as caught:
        read_command("subscribe region:<users/all>", None, SLASH, NAMES)
    reply = Translator("en")("error_region_not_code", **caught.value.params)
    assert "<users/" not in reply


def test_many_names_are_listed_up_to_ten() -> None:
    names = {f"{index:012d}": f"team{index:02d}" for index in range(1, 14)}
    with pytest.raises(CommandArgumentError) as caught:
        read_command("subscribe account:nobody", None, SLASH, names)
    assert caught.value.params["names"] == ", ".join(f"team{index:02d}" for index in range(1, 11)) + ", …"


def test_names_that_cannot_be_typed_back_are_not_offered_and_ids_still_work() -> None:
    names = {"111122223333": "Production EU", "444455556666": "Dev", "777788889999": "dev"}
    assert terms_with("subscribe account:Dev account:dev", names) == (
        "account:444455556666",
        "account:777788889999",
    )
    with pytest.raises(CommandArgumentError) as caught:
        read_command("subscribe account:DEV", None, SLASH, names)  # two names in other capitals
    assert caught.value.params["names"] == "Dev, dev"
    with pytest.raises(CommandArgumentError) as caught:
        read_command("subscribe account:Production", None, SLASH, {"111122223333": "Production EU"})
    assert caught.value.code == "account_not_id"
    assert terms_with("subscribe account:111122223333", names) == ("account:111122223333",)


def terms_with(text: str, names: dict[str, str]) -> tuple[str, ...]:
    command = read_command(text, None, SLASH, names)
    assert isinstance(command, Command)
    return command.terms
