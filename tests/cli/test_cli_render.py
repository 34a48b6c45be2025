"""``alarm-bot render`` prints what a space is sent: compared with what delivery really posts.

The reference is the delivery path itself (queue → consumer → pipeline → the real Chat client →
the Chat API stand-in): whatever ``render`` prints must equal the body of the create request a
space got, less the ``thread`` that delivery adds, for a classic Chat app, a space with mention
on, a Workspace add-on, and input that is not JSON at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from tests.alarms.alarm_samples import SNAPSHOTS, sample_path
from tests.support.aws import dynamodb  # noqa: F401 - fixture
from tests.support.chat_schema import validate_message
from tests.support.classic_mute_click import classic_mute_click
from tests.support.cli_runner import CliRunner, checkout_env
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig

REPO_ROOT = Path(__file__).resolve().parents[2]
ALARM_FILE = sample_path("sns_korean_name")
ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"
PLAIN, MENTIONED = "spaces/PLAIN", "spaces/MENTIONED"
ALARM_KEY = "a2cfd561d1b38bc97a7539c7e0eed9c1d42f9fd7"


def posted(rig: DeliveryRig, space: str) -> dict[str, Any]:
    """The one message ``space`` was sent, as the create request carried it, less its thread."""
    (request,) = [r for r in rig.chat_api.requests(space) if "requestId" in r.query]
    body = dict(request.body)
    body.pop("thread", None)
    return body


def deliver(rig: DeliveryRig, sqs_body: str) -> None:
    rig.spaces.put(SpaceRecord(space=PLAIN, display_name="plain"))
    rig.spaces.put(SpaceRecord(space=MENTIONED, display_name="mentioned", mention=True))
    rig.queue.send(sqs_body)
    rig.drain()


def sns_envelope_of(path: Path) -> str:
    """The SQS body SNS delivers for the first record of a Lambda SNS event file."""
    return json.dumps(json.loads(path.read_text(encoding="utf-8"))["Records"][0]["Sns"])


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[DeliveryRig]:  # noqa: F811 - the fixture imported above
    with running_delivery_rig(dynamodb) as built:
        yield built


@pytest.fixture
def add_on_rig(dynamodb: Any) -> Iterator[DeliveryRig]:  # noqa: F811
    with running_delivery_rig(dynamodb, extra={"add_on": True, "chat_endpoint_url": ENDPOINT}) as built:
        yield built


def render(cli: CliRunner, *argv: str) -> Any:
    result = cli("render", *argv, "--time-zone", "Asia/Seoul")
    assert (result.status, result.err) == (0, "")
    return result.json()


def test_an_alarm_renders_as_a_classic_chat_app_posts_it(cli: CliRunner, rig: DeliveryRig) -> None:
    deliver(rig, sns_envelope_of(ALARM_FILE))
    assert render(cli, str(ALARM_FILE)) == posted(rig, PLAIN)
    assert render(cli, str(ALARM_FILE), "--mention") == posted(rig, MENTIONED)


def test_an_add_on_alarm_renders_with_buttons_addressed_to_its_endpoint(
    cli: CliRunner, add_on_rig: DeliveryRig
) -> None:
    deliver(add_on_rig, sns_envelope_of(ALARM_FILE))
    assert render(cli, str(ALARM_FILE), "--add-on", ENDPOINT) == posted(add_on_rig, PLAIN)


def test_the_alarm_card_has_acknowledge_and_mute_buttons(cli: CliRunner) -> None:
    message = render(cli, str(ALARM_FILE))
    validate_message(message)
    before = json.loads((SNAPSHOTS / "sns_korean_name.en.json").read_text(encoding="utf-8"))
    *sections, buttons = message["cardsV2"][0]["card"]["sections"]
    assert message["text"] == before["text"]
    assert sections == before["cardsV2"][0]["card"]["sections"][:-1], "only the buttons differ"
    listed = buttons["widgets"][0]["buttonList"]["buttons"]
    assert [button["text"] for button in listed] == [
        "Acknowledge",
        "Mute here 1h",
        "Mute here 1d",
        "Open in CloudWatch",
    ]
    assert listed[1]["onClick"] == classic_mute_click(ALARM_KEY, "1h")
    assert listed[3] == before["cardsV2"][0]["card"]["sections"][-1]["widgets"][0]["buttonList"]["buttons"][0]


def test_add_on_buttons_name_the_endpoint_and_mention_leads_the_text(cli: CliRunner) -> None:
    message = render(cli, str(ALARM_FILE), "--add-on", ENDPOINT, "--mention")
    buttons = message["cardsV2"][0]["card"]["sections"][-1]["widgets"][0]["buttonList"]["buttons"]
    assert [b["onClick"]["action"]["function"] for b in buttons[:3]] == [ENDPOINT] * 3
    assert message["text"].startswith("<users/all> 🚨 ALARM: 결제 API/오류율 높음 — ")


@pytest.mark.parametrize("sample", ["sns_ok", "event_guardduty"])
def test_other_notifications_have_no_buttons_and_no_mention(sample: str, cli: CliRunner) -> None:
    """Only ALARM opens an interactive card; OK and other events go out exactly as rendered."""
    expected = json.loads((SNAPSHOTS / f"{sample}.en.json").read_text(encoding="utf-8"))
    assert render(cli, str(sample_path(sample)), "--mention", "--add-on", ENDPOINT) == expected


def test_plain_text_renders_as_the_bot_posts_it_with_a_warning(
    cli: CliRunner, rig: DeliveryRig, tmp_path: Path
) -> None:
    text = "Backup finished\nwith 2 warnings"
    deliver(rig, text)  # a queue body that is not JSON is a notification of its own text
    payload = tmp_path / "note.txt"
    payload.write_text(text, encoding="utf-8")
    result = cli("render", str(payload), "--time-zone", "Asia/Seoul", "--mention")
    assert result.status == 0
    assert result.err == "alarm-bot render: input is not JSON; it is posted as plain text\n"
    assert result.json() == posted(rig, PLAIN) == posted(rig, MENTIONED)


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (b"", "input is empty; it is posted as plain text (an empty notification)"),
        (b"  \n", "input is empty; it is posted as plain text (an empty notification)"),
        (b"{not json", "input is not JSON; it is posted as plain text"),
        (b"\x00\x01PK", "input is binary (it holds NUL bytes); it is posted as plain text"),
        (
            b"\xff\xfe\x89PNG",
            "input is binary, not UTF-8 text; it is posted as plain text "
            "with the bad bytes replaced by U+FFFD",
        ),
    ],
    ids=["empty", "blank", "not-json", "nul", "not-utf8"],
)
def test_input_that_is_not_json_warns_in_one_line(
    data: bytes, warning: str, cli: CliRunner, tmp_path: Path
) -> None:
    payload = tmp_path / "payload"
    payload.write_bytes(data)
    result = cli("render", str(payload))
    assert result.status == 0
    assert result.err == f"alarm-bot render: {warning}\n"
    message = result.json()
    validate_message(message)
    assert message["text"].startswith("🔔 ") and "cardsV2" in message


@pytest.mark.parametrize("content", ['{"hello": "world"}', "[1, 2]", '"just a string"', "42"])
def test_json_that_is_no_notification_renders_without_a_warning(
    content: str, cli: CliRunner, tmp_path: Path
) -> None:
    payload = tmp_path / "payload.json"
    payload.write_text(content, encoding="utf-8")
    result = cli("render", str(payload))
    assert (result.status, result.err) == (0, "")


@pytest.mark.parametrize(
    "url", ["http://abc.example/chat", "abc.example/chat", "https://", "https://a b", "ftp://x"]
)
def test_an_add_on_url_that_is_not_https_is_refused(url: str, cli: CliRunner) -> None:
    result = cli("render", str(ALARM_FILE), "--add-on", url)
    assert result.status == 2 and result.out == "" and result.one_line_error
    assert result.err.startswith("alarm-bot: --add-on needs the https:// URL of the Chat endpoint")


def test_help_says_what_differs_from_a_live_delivery(cli: CliRunner) -> None:
    result = cli("render", "--help")
    assert result.status == 0
    help_text = " ".join(result.out.split())
    for phrase in (
        'What differs from a live delivery: - no "thread"',
        "no requestId",
        "later edits (acknowledged, muted, resolved) are not shown",
        "--add-on URL",
        "--mention",
        "with one warning line on stderr",
    ):
        assert phrase in help_text, phrase


def test_a_real_process_reads_binary_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alarm_bot_cli", "render", "-"],
        input=b"\x89PNG\r\n\x1a\n\x00\x00",
        capture_output=True,
        check=False,
        cwd=REPO_ROOT,
        env=checkout_env(),
    )
    assert result.returncode == 0
    assert result.stderr == (
        b"alarm-bot render: input is binary, not UTF-8 text; it is posted as plain text "
        b"with the bad bytes replaced by U+FFFD\n"
    )
    assert json.loads(result.stdout)["cardsV2"][0]["card"]["header"]["title"] == "AWS notification"
