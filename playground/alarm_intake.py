"""Where the page's alarms enter AWS: CloudWatch's alarm state, then the bot's intake, all in moto.

Firing a sample does what CloudWatch would: the alarm takes the new state in CloudWatch (so
``status`` lists the alarms in ALARM, read by the real code with ``DescribeAlarms``), then the
change is delivered the way the stack wires it:

* an SNS notification is published to the alarm topic, whose subscription puts the SNS envelope on
  the delivery queue (moto delivers it, as SNS would);
* an EventBridge event is put on the delivery queue as it is, which is what the alarm bus's rule
  target does. moto's ``PutEvents`` would rebuild the event's envelope (without ``account``, in its
  own region), so the sample's own envelope is sent the way the target delivers it.

moto's CloudWatch does not run alarm actions itself, so the publishing is done here.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from playground.aws_setup import AwsResources, client
from playground.samples import Sample, fired, storm, subject

SNS_BATCH = 10  # PublishBatch's limit


class AlarmIntake:
    """Fires samples and storms into moto (see the module docstring)."""

    def __init__(self, moto_url: str, resources: AwsResources) -> None:
        self._resources = resources
        self._sns = client("sns", moto_url)
        self._sqs = client("sqs", moto_url)
        self._cloudwatch = client("cloudwatch", moto_url)
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def fire(self, sample: Sample, state: str) -> dict[str, Any]:
        payload = fired(sample, state)
        if sample.route == "eventbridge":
            detail = payload["detail"]
            self._record_state(detail["alarmName"], state, detail["state"]["reason"])
            self._sqs.send_message(
                QueueUrl=self._resources.queue_url, MessageBody=json.dumps(payload, ensure_ascii=False)
            )
            return {
                "alarm": detail["alarmName"],
                "state": state,
                "route": "EventBridge rule → delivery queue",
            }
        self._record_state(payload["AlarmName"], state, payload["NewStateReason"])
        self._sns.publish(
            TopicArn=self._resources.topic_arn,
            Message=json.dumps(payload, ensure_ascii=False),
            Subject=subject(payload),
        )
        return {"alarm": payload["AlarmName"], "state": state, "route": "SNS topic → delivery queue"}

    def fire_storm(self, count: int) -> dict[str, Any]:
        alarms = storm(count)
        for body in alarms:
            self._record_state(body["AlarmName"], "ALARM", body["NewStateReason"])
        for start in range(0, len(alarms), SNS_BATCH):
            entries = [
                {"Id": str(index), "Message": json.dumps(body), "Subject": subject(body)}
                for index, body in enumerate(alarms[start : start + SNS_BATCH])
            ]
            self._sns.publish_batch(TopicArn=self._resources.topic_arn, PublishBatchRequestEntries=entries)
        return {"alarms": len(alarms), "state": "ALARM", "route": "SNS topic → delivery queue"}

    def _record_state(self, name: str, state: str, reason: str) -> None:
        """The alarm in moto's CloudWatch, now in ``state`` (created on its first firing)."""
        with self._lock:
            new = name not in self._known
            self._known.add(name)
        if new:
            self._cloudwatch.put_metric_alarm(
                AlarmName=name,
                Namespace="Playground",
                MetricName="Samples",
                Statistic="Sum",
                Period=60,
                EvaluationPeriods=1,
                Threshold=1.0,
                ComparisonOperator="GreaterThanOrEqualToThreshold",
                AlarmActions=[self._resources.topic_arn],
                OKActions=[self._resources.topic_arn],
            )
        self._cloudwatch.set_alarm_state(AlarmName=name, StateValue=state, StateReason=reason[:1023])
