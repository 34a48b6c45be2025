"""Times as people in the configured time zone read them."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def format_epoch(seconds: float, time_zone: str) -> str:
    """``2026-11-27 19:30 KST``: minutes are enough for people, the abbreviation avoids doubt."""
    moment = datetime.fromtimestamp(seconds, tz=UTC).astimezone(zone(time_zone))
    return moment.strftime("%Y-%m-%d %H:%M %Z")


def utc_iso(seconds: float) -> str:
    """Stored timestamps are UTC ISO 8601, whatever the display zone."""
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def format_iso(value: str, time_zone: str) -> str:
    """Show a stored ISO timestamp in the display zone; unreadable values are shown as they are."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_epoch(moment.timestamp(), time_zone)


def format_clock(seconds: float, time_zone: str, reference: float, *, with_seconds: bool = False) -> str:
    """``10:42`` on the same local day as ``reference`` (when the alarm began), else ``11-28 10:42``.

    Card status lines stay short: people read them next to the alarm's own full timestamp. Digest
    lines show seconds: in a storm, the order of the first alarms tells where it started.
    """
    moment = datetime.fromtimestamp(seconds, tz=UTC).astimezone(zone(time_zone))
    start = datetime.fromtimestamp(reference, tz=UTC).astimezone(zone(time_zone))
    clock = "%H:%M:%S" if with_seconds else "%H:%M"
    return moment.strftime(clock if moment.date() == start.date() else f"%m-%d {clock}")
