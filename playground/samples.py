"""The alarms the page can fire: samples from ``tests/fixtures``, brought to now and to a state.

Each sample is a real or hand-written test fixture (``tests/fixtures/real``, ``own``; see their
PROVENANCE.md and README.md): a metric alarm forwarded through EventBridge, anomaly-detection,
composite and metric-math alarms, a real OK notification, and an alarm with a Korean name. Firing
one changes only what a new state change changes: the new and old state, the time of the change
(now, so every firing is a new transition and the card's times read naturally) and, for OK, the
reason. A storm is the real single-metric sample under many names, all in ALARM at once.
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from playground.config import REPO

FIXTURES = REPO / "tests" / "fixtures"
Route = Literal["sns", "eventbridge"]  # the alarm topic, or the forwarders' bus (its rule's target)
STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
STORM_SAMPLE = "real/aws-lambda-go/cloudwatch-alarm-sns-payload-single-metric.json"
MAX_STORM = 200


@dataclass(frozen=True)
class Sample:
    id: str
    label: str  # what kind of alarm, as the page lists it
    path: str  # under tests/fixtures
    route: Route

    def payload(self) -> dict[str, Any]:
        """The alarm as it is published: the SNS message body, or the EventBridge event."""
        raw: dict[str, Any] = json.loads((FIXTURES / self.path).read_text(encoding="utf-8"))
        if self.route == "eventbridge" or "Records" not in raw:
            return raw
        message: dict[str, Any] = json.loads(raw["Records"][0]["Sns"]["Message"])
        return message

    @property
    def alarm_name(self) -> str:
        body = self.payload()
        return str(body["detail"]["alarmName"] if self.route == "eventbridge" else body["AlarmName"])


SAMPLES: tuple[Sample, ...] = (
    Sample("api-5xx", "Metric · EventBridge", "own/eventbridge_metric_alarm.json", "eventbridge"),
    Sample("orders-anomaly", "Anomaly detection · SNS", "own/sns_anomaly_alarm.json", "sns"),
    Sample("checkout-composite", "Composite · SNS", "own/sns_composite_children_arns.json", "sns"),
    Sample(
        "example-math",
        "Metric math · SNS (real)",
        "real/aws-lambda-go/cloudwatch-alarm-sns-payload-multiple-metrics.json",
        "sns",
    ),
    Sample("db-migration", "Metric · SNS (real)", "real/notify-slack/messages/cloudwatch_alarm.json", "sns"),
    Sample("payments-ko", "Korean name · SNS", "own/sns_korean_name.json", "sns"),
)
BY_ID = {sample.id: sample for sample in SAMPLES}


def fired(sample: Sample, state: str, now: float | None = None) -> dict[str, Any]:
    """``sample``'s payload as a change to ``state`` that happens ``now``."""
    if state not in STATES:
        raise ValueError(f"not an alarm state: {state}")
    moment = time.time() if now is None else now
    payload = copy.deepcopy(sample.payload())
    if sample.route == "eventbridge":
        return _eventbridge_change(payload, state, moment)
    return _sns_change(payload, state, moment)


def storm(count: int, now: float | None = None, tag: str | None = None) -> list[dict[str, Any]]:
    """``count`` different alarms (``prod-storm-<tag>-NN``) going to ALARM together."""
    if not 1 <= count <= MAX_STORM:
        raise ValueError(f"a storm has 1 to {MAX_STORM} alarms")
    moment = time.time() if now is None else now
    base = Sample("storm", "Storm", STORM_SAMPLE, "sns").payload()
    tag = tag or uuid.uuid4().hex[:4]
    alarms = []
    for number in range(1, count + 1):
        body = _sns_change(copy.deepcopy(base), "ALARM", moment)
        name = f"prod-storm-{tag}-{number:02d}"
        body["AlarmName"] = name
        body["AlarmArn"] = f"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:{name}"
        alarms.append(body)
    return alarms


def subject(body: dict[str, Any]) -> str:
    """The SNS subject CloudWatch writes (``ALARM: "name" in Region``), within SNS's 100 characters."""
    text = f'{body.get("NewStateValue", "ALARM")}: "{body.get("AlarmName", "")}" in {body.get("Region", "")}'
    return text[:99]


def _sns_change(body: dict[str, Any], state: str, moment: float) -> dict[str, Any]:
    body["OldStateValue"] = "ALARM" if state == "OK" else "OK"
    body["NewStateValue"] = state
    body["StateChangeTime"] = _cloudwatch_time(moment)
    if state != "ALARM":
        body["NewStateReason"] = _recovered_reason(state)
    return body


def _eventbridge_change(event: dict[str, Any], state: str, moment: float) -> dict[str, Any]:
    detail = event["detail"]
    old = "ALARM" if state == "OK" else "OK"
    detail["previousState"] = {**detail.get("previousState", {}), "value": old}
    detail["state"] = {**detail["state"], "value": state, "timestamp": _cloudwatch_time(moment)}
    if state != "ALARM":
        detail["state"]["reason"] = _recovered_reason(state)
        detail["state"].pop("reasonData", None)
    event["id"] = str(uuid.uuid4())
    event["time"] = datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


def _recovered_reason(state: str) -> str:
    if state == "OK":
        return (
            "Threshold Crossed: the latest datapoints are within the threshold (fired from the playground)."
        )
    return "Insufficient Data: the latest datapoints were unknown (fired from the playground)."


def _cloudwatch_time(moment: float) -> str:
    """``2026-03-14T05:20:03.000+0000``, CloudWatch's format for state change times."""
    stamp = datetime.fromtimestamp(moment, UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}+0000"
