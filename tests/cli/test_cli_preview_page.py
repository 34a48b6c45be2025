"""The preview's drawing of messages: every widget kind, the page around them, threads, Korean.

Results are read back with an HTML parser (:class:`Elements` of the markup tests), so the checks
are about the page a browser builds: which elements, which classes, which text, which links.
"""

from __future__ import annotations

from typing import Any

import pytest

from alarm_bot_cli.preview import message_html, page_html, thread_html
from tests.cli.test_cli_preview_markup import Elements, parsed

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def card(*widgets: dict[str, Any], **card_fields: Any) -> dict[str, Any]:
    return {"cardsV2": [{"cardId": "c", "card": {"sections": [{"widgets": list(widgets)}], **card_fields}}]}


def drawn(message: dict[str, Any], locale: str = "en") -> Elements:
    return parsed(message_html(message, locale=locale))


def classes(found: Elements) -> list[str]:
    return [name for _, attrs in found.tags for name in (attrs.get("class") or "").split()]


def test_decorated_text_has_icon_labels_and_text() -> None:
    found = drawn(
        card(
            {
                "decoratedText": {
                    "startIcon": {"materialIcon": {"name": "error"}},
                    "topLabel": "State",
                    "text": '<font color="#D93025"><b>ALARM</b></font>',
                    "bottomLabel": "was OK",
                    "wrapText": True,
                }
            }
        )
    )
    assert {"dt", "dt-icon", "dt-top", "dt-text", "dt-bottom", "icon"} <= set(classes(found))
    assert "nowrap" not in classes(found)
    assert ("span", {"style": "color:#D93025"}) in found.tags
    assert "State" in found.text and "ALARM" in found.text and "was OK" in found.text


def test_decorated_text_without_wrap_is_one_line_and_labels_are_plain() -> None:
    found = drawn(card({"decoratedText": {"topLabel": "<b>top</b>", "text": "x", "bottomLabel": HOSTILE}}))
    assert "nowrap" in classes(found)
    assert "<b>top</b>" in found.text and HOSTILE in found.text
    assert not [tag for tag, _ in found.tags if tag in ("b", "img", "script")]


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        ({"switchControl": {"selected": True}}, "switch"),
        ({"switchControl": {"controlType": "CHECKBOX"}}, "checkbox"),
        ({"endIcon": {"knownIcon": "STAR"}}, "icon"),
        ({"button": {"icon": {"materialIcon": {"name": "open_in_new"}}, "altText": "Open"}}, "icon-only"),
    ],
)
def test_decorated_text_ends_with_a_control(end: dict[str, Any], expected: str) -> None:
    found = drawn(card({"decoratedText": {"text": "x", **end}}))
    assert "dt-end" in classes(found) and expected in classes(found)


def test_a_paragraph_is_formatted_and_clamped() -> None:
    found = drawn(card({"textParagraph": {"text": "a <b>b</b> <code>c</code>", "maxLines": 2}}))
    assert ("b", {}) in found.tags and "<code>c</code>" in found.text
    assert any(attrs.get("style") == "-webkit-line-clamp:2" for _, attrs in found.tags)


def test_a_markdown_paragraph_uses_chats_text_marks() -> None:
    found = drawn(card({"textParagraph": {"text": "*bold* <b>not</b>", "textSyntax": "MARKDOWN"}}))
    assert ("b", {}) in found.tags and "<b>not</b>" in found.text


def test_an_image_is_external_and_only_http() -> None:
    page = message_html(card({"image": {"imageUrl": "https://example.com/chart.png", "altText": "Chart"}}))
    assert "external image" in page
    found = parsed(page)
    assert ("img", {"src": "https://example.com/chart.png", "alt": "Chart", "loading": "lazy"}) in found.tags
    unsafe = drawn(card({"image": {"imageUrl": "javascript:alert(1)"}}))
    assert "img" not in [tag for tag, _ in unsafe.tags] and "not-drawn" in classes(unsafe)


def test_buttons_look_like_chats() -> None:
    buttons = [
        {"text": "Open", "onClick": {"openLink": {"url": "https://example.com/"}}},
        {"text": "Outlined", "type": "OUTLINED", "onClick": {"action": {"function": "f"}}},
        {"text": "Tonal", "type": "FILLED_TONAL"},
        {"text": "Borderless", "type": "BORDERLESS"},
        {"text": "Red", "type": "OUTLINED", "color": {"red": 1, "green": 0, "blue": 0}},
        {"text": "Off", "disabled": True, "onClick": {"openLink": {"url": "https://example.com/"}}},
        {"text": "Bad", "onClick": {"openLink": {"url": "javascript:alert(1)"}}},
    ]
    found = drawn(card({"buttonList": {"buttons": buttons}}))
    kinds = [attrs["class"] for tag, attrs in found.tags if "btn" in (attrs.get("class") or "")]
    assert kinds == [
        "btn filled",
        "btn outlined",
        "btn tonal",
        "btn borderless",
        "btn filled",
        "btn filled disabled",
        "btn filled",
    ]
    links = [attrs["href"] for tag, attrs in found.tags if tag == "a"]
    assert links == ["https://example.com/"]  # not the action, the disabled one, nor javascript:
    styles = [
        attrs["style"] for _, attrs in found.tags if "btn" in (attrs.get("class") or "") and "style" in attrs
    ]
    assert styles == ["background:rgba(255,0,0,1);border-color:rgba(255,0,0,1);color:#ffffff"]


def test_an_overflow_menu_lists_its_items_in_the_tooltip() -> None:
    menu = {"overflowMenu": {"items": [{"text": "Acknowledge"}, {"text": "Mute here 1h"}]}}
    button = {"icon": {"materialIcon": {"name": "more_vert"}}, "altText": "Actions", "onClick": menu}
    found = drawn(card({"decoratedText": {"text": "x", "button": button}}))
    assert any(attrs.get("title") == "Actions: Acknowledge · Mute here 1h" for _, attrs in found.tags)


def test_odd_colours_do_not_break_a_button() -> None:
    odd = {"red": float("nan"), "green": "1", "blue": True, "alpha": 7}
    found = drawn(card({"buttonList": {"buttons": [{"text": "x", "color": odd}]}}))
    assert any("rgba(0,0,0,1)" in (attrs.get("style") or "") for _, attrs in found.tags)


def test_divider_columns_grid_and_chips() -> None:
    columns = {
        "columnItems": [
            {"horizontalSizeStyle": "FILL_MINIMUM_SPACE", "widgets": [{"textParagraph": {"text": "left"}}]},
            {"horizontalAlignment": "END", "verticalAlignment": "TOP", "widgets": [{"divider": {}}]},
        ]
    }
    grid = {"title": "Grid", "columnCount": 3, "items": [{"title": "A", "subtitle": "a"}, {"title": "B"}]}
    found = drawn(
        card(
            {"divider": {}},
            {"columns": columns},
            {"grid": grid},
            {"chipList": {"chips": [{"label": "chip", "icon": {"knownIcon": "STAR"}}]}},
        )
    )
    names = classes(found)
    assert names.count("divider") == 2
    assert {"columns", "column", "min", "fill", "h-end", "v-top", "grid", "grid-item", "chip"} <= set(names)
    assert any("repeat(3," in (attrs.get("style") or "") for _, attrs in found.tags)


def test_a_widget_the_preview_does_not_draw_is_named() -> None:
    found = drawn(card({"selectionInput": {"name": "x"}}, {HOSTILE: {}}, {}))
    assert found.text.count("not drawn by the preview") == 3
    assert HOSTILE in found.text and "img" not in [tag for tag, _ in found.tags]


def test_the_header_has_title_subtitle_and_a_round_image() -> None:
    header = {"title": "T", "subtitle": "S", "imageUrl": "https://example.com/a.png", "imageType": "CIRCLE"}
    found = drawn(card(header=header))
    assert {"card-title", "card-subtitle", "header-img", "circle"} <= set(classes(found))
    no_image = drawn(card(header={"title": "T", "imageUrl": "data:x"}))
    assert "header-img" not in classes(no_image)


def test_a_collapsible_section_hides_the_rest_behind_show_more() -> None:
    widgets = [{"textParagraph": {"text": f"w{index}"}} for index in range(3)]
    section = {"header": "<i>H</i>", "collapsible": True, "uncollapsibleWidgetsCount": 1, "widgets": widgets}
    message = {
        "cardsV2": [{"cardId": "c", "card": {"sections": [section], "sectionDividerStyle": "NO_DIVIDER"}}]
    }
    page = message_html(message, locale="ko")
    before, _, after = page.partition("<details")
    assert "w0" in before and "w1" in after and "w2" in after and "더보기" in after
    assert "no-dividers" in page and "<i>H</i>" in page


def test_a_fixed_footer_shows_its_buttons() -> None:
    footer = {"primaryButton": {"text": "Save"}, "secondaryButton": {"text": "Cancel"}}
    found = drawn(card(fixedFooter=footer))
    assert "card-footer" in classes(found) and found.text.index("Cancel") < found.text.index("Save")


def test_text_line_then_cards_then_accessory_widgets() -> None:
    message = {
        **card({"textParagraph": {"text": "card"}}),
        "text": "line",
        "accessoryWidgets": [{"buttonList": {"buttons": [{"text": "Later"}]}}],
    }
    text = drawn(message).text
    assert text.index("line") < text.index("card") < text.index("Later")
    assert text.lstrip().startswith("AWS AlarmsApp")


def test_an_empty_message_says_so() -> None:
    assert "an empty message" in drawn({}).text
    assert "빈 메시지" in drawn({"text": "  "}, locale="ko").text


def test_cards_v1_are_named_not_drawn() -> None:
    assert "cards (v1) are not drawn" in drawn({"cards": [{"sections": []}]}).text


def test_the_sender_is_the_bot_unless_the_message_names_one() -> None:
    assert drawn({"text": "x"}, locale="ko").text.lstrip().startswith("AWS 알람앱")
    named = drawn({"text": "x", "sender": {"displayName": HOSTILE}})
    assert named.text.lstrip().startswith(HOSTILE) and "img" not in [tag for tag, _ in named.tags]


def test_a_thread_indents_its_replies_under_the_first_message() -> None:
    page = thread_html([{"text": "alarm"}, {"text": "ok"}, {"text": "late"}])
    head, _, replies = page.partition('<div class="replies">')
    assert "alarm" in head and "ok" in replies and "late" in replies
    assert "2 replies" in replies
    assert "답글 1개" in thread_html([{"text": "a"}, {"text": "b"}], locale="ko")
    assert thread_html([]) == ""


def test_separate_posts_are_separate_threads() -> None:
    page = page_html([{"text": "a"}, {"text": "b"}], title="t", threaded=False)
    assert page.count('<section class="thread">') == 2 and "replies" not in page.split("</style>")[1]


def test_a_korean_page_keeps_its_text_and_says_so() -> None:
    message = {
        "text": "🚨 결제 API/오류율 높음 알람이 발생했습니다",
        **card({"decoratedText": {"topLabel": "상태", "text": "<b>ALARM (경보)</b>"}}),
    }
    page = page_html([message], title="결제", locale="ko")
    assert '<html lang="ko">' in page and "<title>결제</title>" in page
    assert "결제 API/오류율 높음 알람이 발생했습니다" in page and "<b>ALARM (경보)</b>" in page
    assert "Noto Sans KR" in page and "Apple SD Gothic Neo" in page and "Malgun Gothic" in page
