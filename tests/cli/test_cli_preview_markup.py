"""The preview's text handling: Chat's HTML subset kept, anything else escaped, links http(s) only.

What an alarm carries (its name, reason, description) reaches the page; these tests feed the
renderer what an attacker would and read the result back with an HTML parser, so they check what a
browser would build, not how the string looks.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alarm_bot.literal import literal
from alarm_bot_cli.preview.markup import card_markup, plain, safe_colour, safe_url
from alarm_bot_cli.preview.text_line import message_text


class Elements(HTMLParser):
    """Every start tag with its attributes, the text, and whether the tags balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self.open: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag != "br":
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.balanced = False

    def handle_data(self, data: str) -> None:
        self.text += data


def parsed(markup: str) -> Elements:
    elements = Elements()
    elements.feed(markup)
    elements.close()
    return elements


SUBSET_OUT = {"b", "i", "u", "s", "span", "a", "br"}


def assert_safe(markup: str) -> Elements:
    """Only the subset's elements, only their own attributes, links http(s), tags balanced."""
    found = parsed(markup)
    assert found.balanced and not found.open, markup
    for tag, attrs in found.tags:
        assert tag in SUBSET_OUT, markup
        assert not any(name.startswith("on") for name in attrs), markup
        if tag == "a":
            assert safe_url(attrs["href"]) == attrs["href"], markup
            assert attrs["rel"] == "noopener noreferrer nofollow"
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<b>bold</b>", "<b>bold</b>"),
        ("<i>a</i><u>b</u><s>c</s>", "<i>a</i><u>b</u><s>c</s>"),
        ('<font color="#D93025"><b>ALARM</b></font>', '<span style="color:#D93025"><b>ALARM</b></span>'),
        ("one<br>two<br/>three</br>", "one<br>two<br>three<br>"),
        ("OK -&gt; ALARM &amp; more", "OK -&gt; ALARM &amp; more"),
        ("x < y > z", "x &lt; y &gt; z"),
        ("<B>upper</B>", "<b>upper</b>"),
        ("<b>never closed", "<b>never closed</b>"),
        ("<b><i>crossed</b></i>", "<b><i>crossed</i></b>"),
        ("stray </b> end", "stray  end"),
    ],
)
def test_the_subset_is_kept_and_text_escaped(source: str, expected: str) -> None:
    assert card_markup(source) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        '<a href=" javascript:alert(1)">click</a>',
        '<a href="java\tscript:alert(1)">click</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<a href="//evil.example/">relative</a>',
        '<a href="https://ok.example/" onclick="alert(1)">x</a>',
        '<font color="red;background:url(https://evil.example/)">x</font>',
        '<font color="red" style="position:fixed">x</font>',
        "<b onmouseover=alert(1)>x</b>",
        "<style>body{display:none}</style>",
        "<iframe src=https://evil.example/></iframe>",
        "<!-- comment --><![CDATA[x]]><?php echo 1 ?>",
        "<svg/onload=alert(1)>",
        '"><script>alert(1)</script>',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<b",
        "<a href='https://ok.example/'",
    ],
)
def test_hostile_card_text_cannot_make_markup(hostile: str) -> None:
    found = assert_safe(card_markup(hostile))
    assert "script" not in {tag for tag, _ in found.tags}


def test_an_unsafe_link_keeps_its_words_but_not_the_link() -> None:
    found = assert_safe(card_markup('<a href="javascript:alert(1)">Open</a>'))
    assert found.text == "Open"
    assert [tag for tag, _ in found.tags] == ["span"]


def test_a_safe_link_opens_in_a_new_tab_without_the_opener() -> None:
    markup = card_markup('<a href="https://console.aws.amazon.com/?a=1&b=2">CloudWatch</a>')
    assert markup == (
        '<a href="https://console.aws.amazon.com/?a=1&amp;b=2" target="_blank" '
        'rel="noopener noreferrer nofollow">CloudWatch</a>'
    )


def test_tags_outside_the_subset_show_as_typed() -> None:
    found = assert_safe(card_markup("<script>alert(1)</script> <code>x</code> <p>para</p>"))
    assert found.text == "<script>alert(1)</script> <code>x</code> <p>para</p>"


@given(st.text(alphabet=st.sampled_from(list("<>/=\"' &;#abfonturlsihrc:")) | st.characters(), max_size=80))
def test_no_input_escapes_the_subset(source: str) -> None:
    assert_safe(card_markup(source))


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/a?b=c", True),
        ("http://example.com", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("/relative", False),
        ("//host/only", False),
        ("https://", False),
        ("https://exa mple.com", False),
        ("https://example.com/\n", False),
        ("ftp://example.com", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_only_absolute_http_urls_are_links(url: object, allowed: bool) -> None:
    assert (safe_url(url) is not None) is allowed
    assert safe_url(url) in (None, url)


@pytest.mark.parametrize(
    ("colour", "allowed"),
    [
        ("#D93025", True),
        ("#fff", True),
        ("#11223344", True),
        ("red", True),
        ("red;x:y", False),
        ("#12", False),
    ],
)
def test_only_plain_colours_colour_text(colour: str, allowed: bool) -> None:
    assert (safe_colour(colour) is not None) is allowed


def test_plain_fields_escape_everything() -> None:
    assert plain('<b>"x" & y</b>') == "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"
    assert plain(None) == ""


# The text line: Chat's own marks, never HTML.


def test_the_text_line_draws_chat_marks() -> None:
    drawn = message_text("*bold* _italic_ ~struck~ `code` and prod_api_5xx stays")
    assert drawn == (
        '<b>bold</b> <i>italic</i> <s>struck</s> <code class="code">code</code> and prod_api_5xx stays'
    )


def test_the_marks_work_every_time() -> None:
    assert [message_text("*a* _b_") for _ in range(3)] == ["<b>a</b> <i>b</i>"] * 3


def test_the_text_line_shows_html_as_typed() -> None:
    found = parsed(message_text('<script>alert(1)</script> <b onclick="x">no</b> & <users/all'))
    assert found.tags == []
    assert found.text == '<script>alert(1)</script> <b onclick="x">no</b> & <users/all'


def test_mentions_and_links_in_the_text_line() -> None:
    found = parsed(message_text("<users/all> see <https://example.com/a|the alarm> or https://x.test/b"))
    assert found.text == "@all see the alarm or https://x.test/b"
    links = [attrs["href"] for tag, attrs in found.tags if tag == "a"]
    assert links == ["https://example.com/a", "https://x.test/b"]


def test_a_link_that_is_not_http_is_text_in_the_text_line() -> None:
    found = parsed(message_text("<javascript:alert(1)|click> `<https://x.test|y>`"))
    assert not [tag for tag, _ in found.tags if tag == "a"]


def test_fixed_width_blocks_keep_their_lines() -> None:
    drawn = message_text("before\n```\nline <1>\n  line 2\n```\nafter")
    assert '<pre class="code-block">line &lt;1&gt;\n  line 2</pre>' in drawn


def test_the_bots_look_alikes_stay_what_they_are() -> None:
    """``literal`` made ``<`` a look-alike: no mention, no code span, no link hiding where it goes."""
    shown = "🚨 ALARM: " + literal("<users/all> `code` <https://x.test|label>")
    drawn = message_text(shown)
    found = parsed(drawn)
    assert found.text == shown
    assert "mention" not in drawn and "<code" not in drawn
    assert [attrs["href"] for tag, attrs in found.tags if tag == "a"] == ["https://x.test"]
    assert ">https://x.test</a>|label" in drawn
