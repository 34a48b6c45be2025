"""The delivery path end to end on one machine: queue → consumer → pipeline → Chat API stand-in.

A :class:`DeliveryRig` wires the real handler's ``consume`` and the real pipeline to a moto
DynamoDB table (the production key schema), a :class:`~tests.support.local_queue.LocalQueue` with
its dead-letter queue, the real ``ChatClient`` (google-auth token flow) against a
:class:`~tests.support.chat_api.FakeChatApi` on 127.0.0.1, and a virtual clock. Notifications go in
the way AWS puts them on the queue (the SNS envelope, an EventBridge event, the function's own
wrapper for direct events); :meth:`DeliveryRig.drain` runs the event source mapping until nothing
is left, jumping the clock to each scheduled flush instead of sleeping.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.charts.render import ChartRenderer
from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials
from alarm_bot.handlers import alarm_events
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_api import FakeChatApi
from tests.support.local_queue import EventSourceMapping, LocalQueue, VirtualClock

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
TOPIC_ARN = "arn:aws:sns:eu-west-2:735598076380:alarms"


def sns_envelope(message: dict[str, Any] | str, message_id: str | None = None) -> str:
    """What SNS puts on an SQS queue it delivers to (the real sample's envelope, our message)."""
    sample = json.loads((REAL / "powertools-python/snsSqsEvent.json").read_text())
    envelope: dict[str, Any] = json.loads(sample["Records"][0]["body"])
    envelope["Message"] = message if isinstance(message, str) else json.dumps(message)
    envelope["MessageId"] = message_id or str(uuid.uuid4())
    envelope["TopicArn"] = TOPIC_ARN
    return json.dumps(envelope)


@dataclass
class DeliveryRig:
    chat_api: FakeChatApi
    dynamodb: Any
    locale: str = "en"
    time_zone: str = "Asia/Seoul"
    extra: dict[str, Any] = field(default_factory=dict)
    clock: VirtualClock = field(default_factory=VirtualClock)
    charts: ChartRenderer | None = None  # with ``extra["charts"]``: cards carry charts

    def __post_init__(self) -> None:
        self.dead_letters = LocalQueue(self.clock, max_receive_count=None)
        self.queue = LocalQueue(self.clock, dead_letters=self.dead_letters)
        self.settings = DeliverySettings(
            subscriptions_table=TABLE_NAME,
            bot_id=BOT_ID,
            credentials_secret_arn="arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:google",
            locale=self.locale,
            time_zone=self.time_zone,
            chat_api_base_url=self.chat_api.url,
            max_workers=4,
            **self.extra,
        )
        account = self.chat_api.service_account()
        self.client = ChatClient(
            chat_credentials(account.info), base_url=self.chat_api.url, backoff_factor=0.01
        )
        self.dependencies = alarm_events.build_dependencies(
            self.settings,
            make_chat=lambda: self.client,
            queue=self.queue,
            clock=self.clock,
            charts=self.charts,
        )
        self.spaces = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=self.dynamodb)
        self.mapping = EventSourceMapping(self.queue, self.consume, batch_size=10, max_concurrency=2)

    def consume(self, event: dict[str, Any]) -> dict[str, Any]:
        return alarm_events.consume(event, self.dependencies, deadline=time.monotonic() + 60)

    def add_spaces(self, *names: str) -> None:
        for name in names:
            self.spaces.put(SpaceRecord(space=name, display_name=name[-4:]))

    def publish(self, message: dict[str, Any] | str, message_id: str | None = None) -> None:
        """An SNS notification, as the topic's SQS subscription delivers it."""
        self.queue.send(sns_envelope(message, message_id))

    def put_event(self, event: dict[str, Any]) -> None:
        """An EventBridge event, as the rule's SQS target delivers it."""
        self.queue.send(json.dumps(event))

    def invoke_directly(self, event: dict[str, Any]) -> dict[str, Any]:
        """A direct invocation (a CloudWatch Lambda alarm action): the function queues the event."""
        return alarm_events.intake(event, self.dependencies)

    def drain(self, horizon: float = 3600.0) -> None:
        self.mapping.drain(self.clock, horizon=horizon)

    def close(self) -> None:
        self.client.close()


@contextmanager
def running_delivery_rig(dynamodb: Any, *spaces: str, **options: Any) -> Iterator[DeliveryRig]:
    """A :class:`DeliveryRig` (``options`` are its fields) on a Chat API stand-in of its own, with
    ``spaces`` subscribed to every alarm; its client is closed after the block, then the stand-in."""
    with FakeChatApi() as api:
        rig = DeliveryRig(api, dynamodb, **options)
        rig.add_spaces(*spaces)
        yield rig
        rig.close()
