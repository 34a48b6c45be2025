"""The edges delivery talks to, bundled: the table's stores, the queue, Google Chat and the charts.

Production builds them from the settings (:meth:`DeliveryPorts.for_settings`); tests and the
benchmark pass moto-backed stores, a local queue and a Chat API stand-in. The Chat client is built
on first need, so a batch that only stores notifications never reads the credentials secret.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from alarm_bot.delivery.chat_writes import ChatWriter
from alarm_bot.delivery.project_allowance import ProjectAllowance, block_for
from alarm_bot.delivery.quiet_memory import LeftQuiet
from alarm_bot.delivery.rules import DeliveryRules
from alarm_bot.delivery.work_queue import WorkQueue
from alarm_bot.delivery.write_budget import ProjectSlots
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from alarm_bot.store.digests import DynamoDigests
from alarm_bot.store.outbox import DynamoOutbox
from alarm_bot.store.project_writes import DynamoProjectWrites
from alarm_bot.store.record_writes import DynamoRecordWrites
from alarm_bot.store.space_state import DynamoSpaceStates
from alarm_bot.store.spaces import DynamoSpaceStore

SIDE_CALLS = 8

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

    from alarm_bot.charts.render import ChartRenderer


@dataclass
class DeliveryPorts:
    spaces: DynamoSpaceStore
    states: DynamoSpaceStates
    outbox: DynamoOutbox
    cards: DynamoAlarmMessages
    digests: DynamoDigests
    project: DynamoProjectWrites
    records: DynamoRecordWrites
    queue: WorkQueue
    make_chat: Callable[[], ChatWriter]
    rules: DeliveryRules
    new_id: Callable[[], str] = field(default=lambda: secrets.token_hex(8))
    jitter: Callable[[], float] = field(default=random.random)
    # Calls a flush makes while it waits for another (they never wait on anything themselves).
    side_calls: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=SIDE_CALLS, thread_name_prefix="side-call")
    )
    # Spaces this instance last left quiet (:mod:`~alarm_bot.delivery.quiet_memory`): a flush there
    # reserves the project's writes and reads the alarm's card while it takes the lease.
    quiet_spaces: dict[str, LeftQuiet] = field(default_factory=dict)
    # CloudWatch's drawings of the alarms' metrics, for the cards (None: no charts).
    charts: ChartRenderer | None = None
    _chat: ChatWriter | None = field(default=None, init=False, repr=False)
    _chat_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _project_allowance: ProjectAllowance = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """The instance's project allowance (:mod:`~alarm_bot.delivery.project_allowance`)."""
        slots = ProjectSlots.for_rules(self.rules)
        self._project_allowance = ProjectAllowance(
            reserve=lambda n, now: self.project.reserve(n, now, slot_seconds=slots.seconds, cap=slots.cap),
            refund=lambda n, at: self.project.refund(n, at, slot_seconds=slots.seconds),
            slot_seconds=slots.seconds,
            block=block_for(slots.cap),
        )

    @classmethod
    def for_table(
        cls,
        table_name: str,
        bot_id: str,
        *,
        rules: DeliveryRules,
        queue: WorkQueue,
        make_chat: Callable[[], ChatWriter],
        client: DynamoDBClient | None = None,
        charts: ChartRenderer | None = None,
    ) -> DeliveryPorts:
        return cls(
            spaces=DynamoSpaceStore(table_name, bot_id, client=client),
            states=DynamoSpaceStates(table_name, bot_id, client),
            outbox=DynamoOutbox(table_name, bot_id, client),
            cards=DynamoAlarmMessages(table_name, bot_id, client),
            digests=DynamoDigests(table_name, bot_id, client),
            project=DynamoProjectWrites(table_name, bot_id, client),
            records=DynamoRecordWrites(table_name, bot_id, client),
            queue=queue,
            make_chat=make_chat,
            rules=rules,
            charts=charts,
        )

    def chat(self) -> ChatWriter:
        """The Chat client, built once (it reads the key); raises ``CredentialsError`` if it cannot."""
        with self._chat_lock:
            if self._chat is None:
                self._chat = self.make_chat()
            return self._chat

    def reserve(self, writes: int, now: float) -> int:
        """Project-wide writes for one flush: how many of ``writes`` may be made now."""
        return self._project_allowance.take(writes, now)

    def refund(self, writes: int, reserved_at: float) -> None:
        """Give back project writes reserved at ``reserved_at`` that a flush did not need."""
        self._project_allowance.give_back(writes, reserved_at)
