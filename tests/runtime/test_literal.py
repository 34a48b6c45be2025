"""Hostile values in a message's ``text``: no mention, link, code-span break-out or hidden text.

The table is the contract of :func:`alarm_bot.literal.literal`; the tests after it check that
every place a value reaches ``text`` goes through it (alarm lines, generic notifications, late
notes, acknowledgements, command replies), that card widgets stay escaped HTML, and that the
bot's own mention still works.
"""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any

import pytest

from alarm_bot.alarms.card_buttons import button_target
from alarm_bot.alarms.card_drawing import interactive_message, with_mention
from alarm_bot.alarms.card_facts import Acknowledgement, CardState
from alarm_bot.alarms.model import Alarm, GenericNotification
from alarm_bot.alarms.render import render_late_note, render_message
from alarm_bot.literal import code_span, literal
from tests.alarms.alarm_samples import card, only, row_text

# What Chat would turn into a mention, a link, an autolink, HTML, or a code span.
FORMS = re.compile(r"<[^\s]|\]\(|\]:|\]\[|`")

HOSTILE = [
    # (why, value, what literal() makes of it)
    ("everyone mention", "db <users/all>", "db \u2039users/all>"),
    ("one person", "<users/123456789>", "\u2039users/123456789>"),
    ("chat link with label", "<https://evil.example/login|Re-authenticate AWS>", None),
    ("markdown link", "[runbook](https://evil.example)", "[runbook] (https://evil.example)"),
    ("markdown image", "![x](https://evil.example/p.png)", "![x] (https://evil.example/p.png)"),
    ("reference link", "[a][r]\n[r]: https://evil.example", "[a] [r] [r] : https://evil.example"),
    ("autolink", "<https://evil.example>", "\u2039https://evil.example>"),
    ("html", "<b>bold</b><script>x</script>", None),
    ("code span break-out", "a`<users/all>`b", "a\u02cb\u2039users/all>\u02cbb"),
    ("code block", "```\nfake\n```", "\u02cb\u02cb\u02cb fake \u02cb\u02cb\u02cb"),
    ("cloudwatch arrow stays", "OK -> ALARM transition", "OK -> ALARM transition"),
    ("emphasis stays", "*prod* _db_ ~old~", "*prod* _db_ ~old~"),
    ("forged line", "db\n✅ OK: db resolved", "db ✅ OK: db resolved"),
    ("carriage returns", "a\r\nb\rc\u2028d", "a b c d"),
    ("control characters", "a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
    ("bidi override", "txt.\u202egnp\u202c exe", "txt.gnp exe"),
    ("bidi isolates and marks", "\u2066a\u2069\u200e\u200f\u061cb", "ab"),
    ("zero width and bom", "<\u200busers/all>\ufeff", "\u2039users/all>"),
    ("joiners stay", "👩\u200d💻", "👩\u200d💻"),
    ("lone surrogates", "a\ud800b\udfffc", "a\ufffdb\ufffdc"),
    ("korean stays", "결제 API/오류율 높음", "결제 API/오류율 높음"),
]


@pytest.mark.parametrize(("why", "value", "expected"), HOSTILE, ids=[row[0] for row in HOSTILE])
def test_literal_forms_nothing(why: str, value: str, expected: str | None) -> None:
    made = literal(value)
    assert not FORMS.search(made), why
    assert "\n" not in made
    made.encode("utf-8")  # no lone surrogate left: the request body can be written
    if expected is not None:
        assert made == expected


def test_lines_keep_their_breaks_but_nothing_else() -> None:
    assert literal("a\r\nb <users/all>\n\tc", lines=True) == "a\nb \u2039users/all>\n\tc"


def test_a_code_span_cannot_be_closed_from_inside() -> None:
    span = code_span("a`<users/all>`b")
    assert span.count("`") == 2 and span.startswith("`") and span.endswith("`")
    assert "<" not in span


def test_a_megabyte_is_made_literal_in_linear_time() -> None:
    value = "<users/all>](`\u202e\ud800" * 70_000  # about 1 MB
    started = time.perf_counter()
    made = literal(value)
    assert time.perf_counter() - started < 5  # linear: a quadratic pass would take minutes
    assert not FORMS.search(made) and len(made) >= len(value)


def hostile_alarm() -> Alarm:
    alarm = only("sns_korean_name")
    assert isinstance(alarm, Alarm)
    return dataclasses.replace(
        alarm,
        name="db <users/all> <https://evil.example/login|Re-authenticate AWS>",
        reason="see [runbook](https://evil.example) or <https://evil.example|runbook>\n🚨 fake line",
        description="<b>x</b>",
    )


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_an_alarm_line_forms_no_mention_or_link(locale: str) -> None:
    message = render_message(hostile_alarm(), locale=locale, time_zone="UTC")
    assert not FORMS.search(message["text"])
    assert "\n" not in message["text"]
    assert "\u2039users/all>" in message["text"]  # shown, harmlessly
    assert row_text(message, "Reason" if locale == "en" else "사유").startswith("see [runbook]")
    assert card(message)["header"]["title"].startswith("db <users/all>")  # plain text field


def test_the_bots_own_mention_still_works() -> None:
    message = with_mention(render_message(hostile_alarm(), locale="en", time_zone="UTC"))
    assert message["text"].startswith("<users/all> ")
    assert message["text"].count("<users/all>") == 1


def test_a_generic_notification_and_a_late_note() -> None:
    notification = GenericNotification(
        title="<users/all> deploy", source="text", dedup_id="m-1", text="[click](https://evil.example)"
    )
    generic = render_message(notification, locale="en", time_zone="UTC")
    late = render_late_note(hostile_alarm(), locale="ko", time_zone="UTC")
    for message in (generic, late):
        assert not FORMS.search(message["text"]), message["text"]


def test_acknowledging_names_are_literal_in_text_and_escaped_in_the_card() -> None:
    acks = (Acknowledgement("users/9", "<users/all> `x` <b>Eve</b>", 1_700_000_000),)
    message = interactive_message(
        render_message(only("sns_korean_name"), locale="en", time_zone="UTC"),
        "k" * 40,
        CardState(1_700_000_000, acks),
        target=button_target(add_on=False, endpoint_url=None),
        locale="en",
        time_zone="UTC",
    )
    assert not FORMS.search(message["text"])
    widgets: list[dict[str, Any]] = card(message)["sections"][0]["widgets"]
    assert "&lt;users/all&gt; `x` &lt;b&gt;Eve&lt;/b&gt;" in widgets[0]["decoratedText"]["text"]
