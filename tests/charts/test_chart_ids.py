"""Chart ids are random, have one spelling, and nothing else passes for one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alarm_bot.charts.ids import (
    ID_LENGTH,
    InvalidChartId,
    chart_key,
    chart_path,
    id_from_file_name,
    is_chart_id,
    new_chart_id,
)

VALID = "a" * 26 + "234567"
SHAPE = re.compile(r"[a-z2-7]{32}")


def test_a_new_id_is_32_base32_characters() -> None:
    chart_id = new_chart_id()
    assert len(chart_id) == ID_LENGTH and SHAPE.fullmatch(chart_id)
    assert is_chart_id(chart_id)


def test_ids_do_not_repeat() -> None:
    assert len({new_chart_id() for _ in range(10_000)}) == 10_000


def test_the_random_source_can_be_fixed_for_tests() -> None:
    assert new_chart_id(bytes) == "a" * 32
    assert new_chart_id(lambda size: b"\xff" * size) == "7" * 32
    with pytest.raises(ValueError, match="random bytes"):
        new_chart_id(lambda size: b"short")


@pytest.mark.parametrize(
    "value",
    [
        "",
        VALID[:-1],
        VALID + "a",
        VALID.upper(),
        VALID[:-1] + "1",  # 0, 1, 8 and 9 are not base32
        VALID[:-1] + "8",
        VALID[:-1] + "=",
        VALID[:-1] + "\n",
        "\n" + VALID[1:],
        VALID[:-1] + "\uff41",  # fullwidth a: a lookalike outside ASCII
        "../" + VALID[3:],
        "%2e%2e" + VALID[6:],
        VALID[:16] + "/" + VALID[17:],
        None,
        VALID.encode(),
        32,
    ],
)
def test_anything_else_is_not_an_id(value: object) -> None:
    assert not is_chart_id(value)


def test_key_and_path_are_built_from_a_checked_id_only() -> None:
    assert chart_key(VALID) == f"charts/{VALID}.png"
    assert chart_path(VALID) == f"/charts/{VALID}.png"
    for bad in ("../" + VALID[3:], "x", VALID.upper()):
        with pytest.raises(InvalidChartId) as raised:
            chart_key(bad)
        assert bad not in str(raised.value)  # never echoed


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (f"{VALID}.png", VALID),
        (f"{VALID}.PNG", None),
        (f"{VALID}.png.png", None),
        (f"{VALID}png", None),
        (f"{VALID}", None),
        (f"{VALID}.jpg", None),
        (f"..%2f{VALID[4:]}.png", None),
        (f"{VALID}%2epng", None),
        (".png", None),
    ],
)
def test_file_names(name: str, expected: str | None) -> None:
    assert id_from_file_name(name) == expected


@given(st.text(max_size=60))
def test_no_text_names_an_object_outside_charts(name: str) -> None:
    chart_id = id_from_file_name(name)
    if chart_id is not None:
        key = chart_key(chart_id)
        assert re.fullmatch(r"charts/[a-z2-7]{32}\.png", key)
        assert name == f"{chart_id}.png"


@given(st.binary(min_size=20, max_size=20))
def test_every_random_value_gives_a_valid_id(raw: bytes) -> None:
    assert is_chart_id(new_chart_id(lambda size: raw))
