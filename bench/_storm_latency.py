"""Scenario D and the listing cost: one alarm in a quiet space, and what listing the spaces reads.

The path before the queue is reproduced from what that handler did for an alarm, in order: parse
the SNS event, list the spaces, render the card, post it, store it (``_direct_path.py``). The queue
path is the real one: the SNS envelope on the delivery queue, a warm consumer polling it, the
pipeline. Both are timed from publishing to the moment the Chat API stand-in created the message.
AWS's own hops (SNS to Lambda, SQS to its poller) are left out of both.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from _direct_path import remember_cards
from _storm_rig import Pollers, Process, alarm_body, consumer, dynamodb_client, new_table

from alarm_bot.alarms.model import Alarm
from alarm_bot.alarms.parse import parse_lambda_event
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.routing import recipients
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials
from alarm_bot.delivery.outgoing import opens_card, outgoing_card
from alarm_bot.delivery.request_ids import request_id_for
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import LEGACY_KIND, AlarmMessage, DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.delivery_rig import sns_envelope
from tests.support.local_queue import LocalQueue

_clients: dict[str, ChatClient] = {}
_pollers: dict[str, tuple[LocalQueue, Pollers]] = {}


def _body(name: str) -> dict[str, Any]:
    return alarm_body(name, "ALARM", time.time())


def legacy_delivery(
    settings: DeliverySettings, chat: Process, dynamodb_url: str, name: str
) -> tuple[str, float]:
    """The fan-out before the queue, for one SNS event; ``(alarm name, publish time)``."""
    client = _clients.setdefault(
        chat.hello["url"],
        ChatClient(chat_credentials(chat.hello["service_account"]), base_url=chat.hello["url"]),
    )
    table = dynamodb_client(dynamodb_url)
    envelope = json.loads(sns_envelope(_body(name)))
    published = time.time()
    event = {"Records": [{"EventSource": "aws:sns", "Sns": envelope}]}
    (alarm,) = parse_lambda_event(event)
    spaces = DynamoSpaceStore(settings.subscriptions_table, settings.bot_id, client=table).list_spaces()
    message = render_message(alarm, locale=settings.locale, time_zone=settings.time_zone)
    outgoing = outgoing_card(alarm, message, settings)
    outcomes = [
        client.create_message(
            space.space,
            outgoing.for_space(space),
            request_id=request_id_for(alarm.transition_id, space.space),
            thread_key=alarm.thread_key,
            deadline=time.monotonic() + 30,
        )
        for space in recipients(spaces, alarm, published)
    ]
    if opens_card(alarm):
        cards = DynamoAlarmMessages(settings.subscriptions_table, settings.bot_id, table)
        remember_cards(alarm, message, outcomes, cards, published)
    return name, published


def queued_delivery(
    settings: DeliverySettings, chat: Process, dynamodb_url: str, name: str
) -> tuple[str, float]:
    """The SNS envelope on the delivery queue, a warm consumer taking it; ``(name, publish time)``."""
    if chat.hello["url"] not in _pollers:
        queue = LocalQueue(dead_letters=LocalQueue(max_receive_count=None))
        pollers = Pollers(queue, [consumer(settings, chat, dynamodb_url, queue)])
        pollers.start()
        _pollers[chat.hello["url"]] = (queue, pollers)
    queue, pollers = _pollers[chat.hello["url"]]
    body = sns_envelope(_body(name))
    published = time.time()
    queue.send(body)
    # Waiting here is not what is timed (the stand-in notes when the card exists), so look rarely:
    # polling every few milliseconds would take the interpreter lock from the consumer it waits for.
    time.sleep(0.2)
    while not pollers.idle():
        time.sleep(0.05)
    return name, published


def stop_pollers() -> None:
    for _, pollers in _pollers.values():
        pollers.stop()
    _pollers.clear()
    for client in _clients.values():
        client.close()
    _clients.clear()


def created_after(report: dict[str, Any], runs: list[tuple[str, float]]) -> list[float]:
    """Seconds from each run's publishing to the creation of its card."""
    created = {
        message["cardsV2"][0]["card"]["header"]["title"]: moment
        for messages in report["created"].values()
        for moment, message in messages
    }
    return [created[name] - published for name, published in runs]


def reads_ratio(dynamodb_url: str) -> tuple[float, float]:
    """Items listing 50 spaces reads with 50 cards stored per space ÷ with none; and the same for
    the layout before (cards among the spaces)."""
    client = dynamodb_client(dynamodb_url)
    table = new_table(dynamodb_url, f"reads-{int(time.time() * 1000)}")
    store = DynamoSpaceStore(table, "alarm-chat-bot", client=client)
    spaces = [f"spaces/R{index:02d}" for index in range(50)]
    for space in spaces:
        store.put(SpaceRecord(space))
    empty = _items_read(client, store.list_spaces)
    cards = DynamoAlarmMessages(table, "alarm-chat-bot", client)
    legacy = []
    for space in spaces:
        for index in range(50):
            record = AlarmMessage(
                space, f"{index:040x}", f"{space}/messages/M{index}", "t", 0, {"text": "card"}
            )
            cards.record_posted(record, time.time())
            item = cards.item(record, time.time())
            legacy.append(
                {
                    **item,
                    "bot_id": {"S": "alarm-chat-bot"},
                    "space_id": {"S": f"{space}{LEGACY_KIND}{index:040x}"},
                }
            )
    stored = _items_read(client, store.list_spaces)
    before = new_table(dynamodb_url, f"reads-before-{int(time.time() * 1000)}")
    earlier = DynamoSpaceStore(before, "alarm-chat-bot", client=client)
    for space in spaces:
        earlier.put(SpaceRecord(space))
    for item in legacy:
        client.put_item(TableName=before, Item=item)
    earlier_reads = _items_read(client, earlier.list_spaces)
    return stored / empty, earlier_reads / empty


def _items_read(client: Any, listing: Callable[[], list[SpaceRecord]]) -> int:
    """Items DynamoDB read (``ScannedCount``) for the Query calls ``listing`` makes."""
    read = [0]

    def count(parsed: dict[str, Any], **_: Any) -> None:
        read[0] += int(parsed.get("ScannedCount", 0))

    client.meta.events.register("after-call.dynamodb.Query", count)
    try:
        listing()
    finally:
        client.meta.events.unregister("after-call.dynamodb.Query", count)
    return read[0]


__all__ = ["Alarm", "created_after", "legacy_delivery", "queued_delivery", "reads_ratio", "stop_pollers"]
