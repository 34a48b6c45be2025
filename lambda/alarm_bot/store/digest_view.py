"""What a posted digest shows now: its stored lines, with the acknowledgements and mutes stored since.

Both sides draw a digest from the same records: delivery when it posts or edits one, the Chat
function when a click redraws it. Its inputs are all stored records (the digest's lines, the
alarms' cards, the space's mutes) and its output is the cards' :class:`DigestRow`, so it lives in
``store``, which both may import, rather than in ``delivery`` (which ``chat`` may not import) or in
``alarms`` (which may not import ``store``). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from alarm_bot.alarms.digest_rows import DigestRow
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.digests import DigestLine


def view_rows(
    lines: Iterable[DigestLine],
    *,
    digest_id: str,
    cards: Mapping[str, AlarmMessage],
    space: SpaceRecord | None,
    now: float,
) -> list[DigestRow]:
    """What the digest card shows for ``lines``: acknowledgements and mutes come from the space."""
    shown = []
    for line in lines:
        record = cards.get(line.line_key)
        acks = record.acknowledgements if record is not None and record.digest_id == digest_id else ()
        muted = space.alarm_muted_until(line.line_key, now) if space is not None else None
        shown.append(DigestRow(line.notification, line.history, line.late, acks, muted))
    return shown
