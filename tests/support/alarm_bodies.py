"""The real SNS alarm sample (``DBMigrationRequired`` in eu-west-2) as the delivery tests send it.

Its message body at any state, time and name (:func:`sns_alarm_body`), that body in the real SNS
Lambda event (:func:`sns_alarm_event`), and the EventBridge event of the same transition
(:func:`eventbridge_alarm_event`). The sample: tests/fixtures/real/notify-slack/messages/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmState

SAMPLE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "real" / "notify-slack/messages/cloudwatch_alarm.json"
)
SAMPLE_ALARM_ARN = "arn:aws:cloudwatch:eu-west-2:735598076380:alarm:DBMigrationRequired"


def sns_alarm_body(
    state: str = "ALARM", when: str = "2026-11-27T01:00:00.000+0000", name: str = ""
) -> dict[str, Any]:
    """The sample's SNS message, changed to ``state`` at ``when`` (renamed to ``name`` if given)."""
    sample = json.loads(SAMPLE.read_text())
    body: dict[str, Any] = json.loads(sample["Records"][0]["Sns"]["Message"])
    body.update(
        NewStateValue=state,
        OldStateValue="OK" if state == "ALARM" else "ALARM",
        StateChangeTime=when,
        AlarmArn=SAMPLE_ALARM_ARN.replace("DBMigrationRequired", name) if name else SAMPLE_ALARM_ARN,
    )
    if name:
        body["AlarmName"] = name
    return body


def sns_alarm_event(
    body: dict[str, Any], message_id: str = "11111111-2222-3333-4444-555555555555"
) -> dict[str, Any]:
    """The real SNS Lambda envelope, carrying ``body`` as its message."""
    event: dict[str, Any] = json.loads(SAMPLE.read_text())
    event["Records"][0]["Sns"]["Message"] = json.dumps(body)
    event["Records"][0]["Sns"]["MessageId"] = message_id
    return event


def eventbridge_alarm_event(body: dict[str, Any]) -> dict[str, Any]:
    """The EventBridge "CloudWatch Alarm State Change" of the transition ``body`` describes."""
    return {
        "version": "0",
        "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "account": "735598076380",
        "time": "2026-11-27T01:00:00Z",
        "region": "eu-west-2",
        "resources": [body["AlarmArn"]],
        "detail": {
            "alarmName": body["AlarmName"],
            "state": {
                "value": body["NewStateValue"],
                "reason": body["NewStateReason"],
                "timestamp": body["StateChangeTime"],
            },
            "previousState": {"value": "OK", "timestamp": "2026-11-26T00:00:00.000+0000"},
            "configuration": {"description": body["AlarmDescription"], "metrics": []},
        },
    }


def sample_alarm_key() -> str:
    """The key the sample's alarm is stored under (one per alarm, whatever its state)."""
    return Alarm(name="DBMigrationRequired", state=AlarmState.OK, source="sns", arn=SAMPLE_ALARM_ARN).key
