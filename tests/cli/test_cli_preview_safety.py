"""The preview against odd and hostile messages: the page stays inert and self-contained.

Whatever a message holds (wrong types, unknown widgets, script, event handlers, ``javascript:``
links), the page must draw without failing, run nothing and fetch nothing but http(s) images.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from alarm_bot_cli.preview import page_html
from alarm_bot_cli.preview.markup import safe_url
from tests.cli.test_cli_preview_markup import parsed
from tests.cli.test_cli_preview_page import HOSTILE, card
from tests.support.cli_runner import checkout_env


def assert_inert(page: str) -> None:
    """No script, no event handler, no link or image but http(s), no stylesheet but our own."""
    found = parsed(page)
    tags = [tag for tag, _ in found.tags]
    assert "script" not in tags and "iframe" not in tags and "link" not in tags
    assert tags.count("style") == 1
    for tag, attrs in found.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            if name in attrs:
                assert safe_url(attrs[name]) == attrs[name], (tag, attrs)


@pytest.mark.parametrize(
    "odd",
    [
        {},
        {"text": ""},
        {"text": None, "cardsV2": "x"},
        {"cardsV2": [None, "x", {"card": None}, {"card": {"sections": "x"}}]},
        {"cardsV2": [{"card": {"sections": [None, {"widgets": "x"}, {"widgets": [None, 3, "x"]}]}}]},
        {"cardsV2": [{"card": {"header": "x", "sections": [{"widgets": [{"decoratedText": {"text": 7}}]}]}}]},
    ],
)
def test_odd_messages_draw_without_failing(odd: dict[str, Any]) -> None:
    page = page_html([odd], title="odd")
    assert_inert(page)
    assert page.endswith("</html>\n")


def test_a_hostile_message_leaves_the_page_inert() -> None:
    hostile_card = {
        "header": {"title": HOSTILE, "subtitle": HOSTILE, "imageUrl": "javascript:alert(1)"},
        "sections": [
            {
                "header": HOSTILE,
                "widgets": [
                    {
                        "decoratedText": {
                            "topLabel": HOSTILE,
                            "text": HOSTILE,
                            "startIcon": {"iconUrl": "data:x"},
                        }
                    },
                    {"textParagraph": {"text": '<a href="javascript:alert(1)">x</a>' + HOSTILE}},
                    {"buttonList": {"buttons": [{"text": HOSTILE, "altText": HOSTILE}]}},
                    {"grid": {"title": HOSTILE, "items": [{"title": HOSTILE, "image": {"imageUri": "x"}}]}},
                ],
            }
        ],
    }
    message = {"text": HOSTILE, "cardsV2": [{"cardId": HOSTILE, "card": hostile_card}]}
    page = page_html([message], title=HOSTILE, locale=HOSTILE)
    assert_inert(page)
    assert "<script" not in page and "<img src=x" not in page


def test_the_page_is_self_contained() -> None:
    page = page_html([card({"textParagraph": {"text": "x"}})], title="t")
    assert "http://" not in page and "https://" not in page  # no CDN, no web font, no icon font
    assert "@import" not in page and "url(" not in page


def test_the_preview_needs_no_aws_library() -> None:
    """A local playground imports it without boto3, botocore or Powertools."""
    heavy = "('boto3', 'botocore', 'aws_lambda_powertools', 'google')"
    code = (
        "import sys, alarm_bot_cli.preview; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=checkout_env()
    )
    assert done.stdout.strip() == "[]"
