"""Alarms from other accounts and regions, end to end through the delivery queue (the real consumer,
pipeline, moto and ChatClient against the Chat API stand-in), with ACCOUNT_NAMES as deployed:
routed by the spaces' account and region terms, carded with the account's name and region, counted
once in ``AlarmsReceived``, and one message per space when SNS, EventBridge and the Lambda alarm
action all report the same transition.

The EventBridge events are the adapted real samples (tests/fixtures/adapted); the SNS message is the
real SNS sample describing the same transition of the same alarm.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from tests.alarms.alarm_samples import sample_json
from tests.support.chat_schema import validate_message
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig

NAMES = {"912397435824": "payments-prod", "444455556666": "demo"}
EU, US = "eventbridge_math_eu", "eventbridge_metric_us"
SPACES = {
    "spaces/ALL": (),
    "spaces/PAYMENTS": ("account:912397435824",),
    "spaces/US": ("region:us-east-1",),
    "spaces/BOTH": ("region:eu-west-1", "region:us-east-1"),
    "spaces/NEITHER": ("account:912397435824", "region:us-east-1"),
    "spaces/SEOUL": ("region:ap-northeast-2",),
}


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[DeliveryRig]:
    with running_delivery_rig(dynamodb, extra={"account_names": NAMES}) as built:
        for space, terms in SPACES.items():
            built.spaces.put(SpaceRecord(space=space, filters=terms))
        yield built


def sns_body_for(event: dict[str, Any]) -> dict[str, Any]:
    """The real SNS alarm message, describing the adapted EventBridge event's transition."""
    sample = sample_json("sns_ok")
    body: dict[str, Any] = json.loads(sample["Records"][0]["Sns"]["Message"])
    detail = event["detail"]
    body.update(
        AlarmName=detail["alarmName"],
        AlarmArn=event["resources"][0],
        AWSAccountId=event["account"],
        Region="EU (Ireland)",
        NewStateValue=detail["state"]["value"],
        OldStateValue=detail["previousState"]["value"],
        NewStateReason=detail["state"]["reason"],
        StateChangeTime=detail["state"]["timestamp"],
    )
    return body


def received(rig: DeliveryRig) -> dict[str, list[str]]:
    return {space: [m["text"].split(" —")[0] for m in rig.chat_api.messages(space)] for space in SPACES}


def test_spaces_receive_what_their_account_and_region_terms_match(rig: DeliveryRig) -> None:
    rig.put_event(sample_json(EU))
    rig.put_event(sample_json(US))
    rig.drain()
    eu, us = "🚨 ALARM: Test alert", "🚨 ALARM: lambda-demo-metric-alarm"
    assert {space: sorted(texts) for space, texts in received(rig).items()} == {
        "spaces/ALL": sorted([eu, us]),
        "spaces/PAYMENTS": [eu],
        "spaces/US": [us],
        "spaces/BOTH": sorted([eu, us]),
        "spaces/NEITHER": [],
        "spaces/SEOUL": [],
    }


def test_cards_name_the_account_and_region_and_open_the_alarms_own_region(rig: DeliveryRig) -> None:
    rig.put_event(sample_json(EU))
    rig.drain()
    (message,) = rig.chat_api.messages("spaces/PAYMENTS")
    validate_message({key: value for key, value in message.items() if key in ("text", "cardsV2")})
    card = message["cardsV2"][0]["card"]
    assert card["header"]["subtitle"] == "payments-prod · eu-west-1"
    rows = [w["decoratedText"] for w in card["sections"][0]["widgets"] if "decoratedText" in w]
    assert {"topLabel": "Account · Region", "text": "payments-prod (912397435824) · eu-west-1"} in [
        {key: row[key] for key in ("topLabel", "text")} for row in rows
    ]
    assert "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#" in json.dumps(card)


def test_sns_eventbridge_and_the_alarm_action_of_one_transition_post_once_per_space(rig: DeliveryRig) -> None:
    event = sample_json(EU)
    rig.publish(sns_body_for(event), "sns-1")
    rig.put_event(event)
    assert rig.invoke_directly(sample_json("action_math")) == {"queued": 1}
    rig.drain()
    rig.put_event(event)  # EventBridge delivers at least once
    rig.drain()
    for space in ("spaces/ALL", "spaces/PAYMENTS", "spaces/BOTH"):
        assert received(rig)[space] == ["🚨 ALARM: Test alert"], space
        assert rig.chat_api.message_requests(space) == 1, "duplicates cost no quota"
    assert received(rig)["spaces/US"] == []


def emf(capsys: pytest.CaptureFixture[str], name: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    return [blob for blob in lines if name in blob]


def test_each_alarm_is_counted_once_by_source_account_and_region(
    rig: DeliveryRig, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    rig.put_event(sample_json(EU))
    rig.put_event(sample_json(EU) | {"id": "another-delivery"})
    rig.put_event(sample_json(US))
    rig.drain()
    blobs = emf(capsys, "AlarmsReceived")
    for blob in blobs:
        (directive,) = blob["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "AlarmChatBot"
        assert directive["Dimensions"] == [["SourceAccount", "SourceRegion"]], "no service dimension"
        assert [metric["Name"] for metric in directive["Metrics"]] == ["AlarmsReceived"]
        assert "service" not in blob and "MessagesDelivered" not in blob
    counts = {(blob["SourceAccount"], blob["SourceRegion"]): blob["AlarmsReceived"] for blob in blobs}
    assert counts == {("912397435824", "eu-west-1"): [2.0], ("444455556666", "us-east-1"): [1.0]}


def test_a_message_received_again_is_not_counted_again(
    rig: DeliveryRig, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = rig.dependencies.pipeline
    deliver = pipeline.deliver
    calls: list[int] = []

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("DynamoDB is down")  # the whole batch comes again
        return deliver(*args, **kwargs)

    monkeypatch.setattr(pipeline, "deliver", failing_once)
    rig.put_event(sample_json(EU))
    rig.drain()
    assert len(calls) == 2 and len(rig.chat_api.messages("spaces/PAYMENTS")) == 1
    assert [blob["AlarmsReceived"] for blob in emf(capsys, "AlarmsReceived")] == [[1.0]]


def test_malformed_or_unknown_places_make_no_metric(
    rig: DeliveryRig, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = sample_json(EU)
    hostile.update(account="<script>", region="Mars", resources=["arn:aws:cloudwatch:x:y:alarm:Test alert"])
    rig.put_event(hostile)
    rig.publish(sample_json("legacy_missing_fields") | {"AWSAccountId": "999"})
    rig.drain()
    assert emf(capsys, "AlarmsReceived") == []


def test_the_old_bots_json_is_counted_and_routed_under_the_topics_place(
    rig: DeliveryRig, capsys: pytest.CaptureFixture[str]
) -> None:
    rig.spaces.put(SpaceRecord(space="spaces/TOPIC", filters=("account:735598076380", "region:eu-west-2")))
    rig.publish(sample_json("legacy_missing_fields"))  # to the rig's topic, eu-west-2:735598076380
    rig.drain()
    assert len(rig.chat_api.messages("spaces/TOPIC")) == 1
    assert received(rig)["spaces/PAYMENTS"] == [] and len(received(rig)["spaces/ALL"]) == 1
    (blob,) = emf(capsys, "AlarmsReceived")
    assert (blob["SourceAccount"], blob["SourceRegion"]) == ("735598076380", "eu-west-2")
    (message,) = rig.chat_api.messages("spaces/TOPIC")
    assert "subtitle" not in message["cardsV2"][0]["card"]["header"], "the card claims nothing"
