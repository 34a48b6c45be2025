"""Reading single values out of untrusted JSON: every helper returns ``None`` instead of raising.

Alarm payloads come from several AWS services and from people (the old bot's hand-published
JSON), so any field may be missing, null, of the wrong type or oddly spelled. The parsers stay
readable by pushing all of that tolerance into these small functions.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alarm_bot.alarms.model import AlarmState

_REGION_CODE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_TREAT_MISSING_PREFIX = re.compile(r"^\s*-?\s*TreatMissingData\s*:\s*", re.IGNORECASE)
_STATISTICS = {
    "AVERAGE": "Average",
    "SUM": "Sum",
    "MINIMUM": "Minimum",
    "MAXIMUM": "Maximum",
    "SAMPLECOUNT": "SampleCount",
    "SAMPLE_COUNT": "SampleCount",
}
# SNS alarm messages name the region for people ("Asia Pacific (Seoul)"); older messages used
# shorter names ("EU (Ireland)", "US (Virginia)"). Keys are normalised by _region_key.
_REGION_NAMES: dict[str, tuple[str, ...]] = {
    "us-east-1": ("US East (N. Virginia)", "US (Virginia)", "US East (Northern Virginia)"),
    "us-east-2": ("US East (Ohio)",),
    "us-west-1": ("US West (N. California)", "US (N. California)"),
    "us-west-2": ("US West (Oregon)", "US (Oregon)"),
    "ca-central-1": ("Canada (Central)",),
    "sa-east-1": ("South America (Sao Paulo)", "South America (São Paulo)"),
    "eu-west-1": ("Europe (Ireland)", "EU (Ireland)", "EU - Ireland"),
    "eu-west-2": ("Europe (London)", "EU (London)"),
    "eu-west-3": ("Europe (Paris)", "EU (Paris)"),
    "eu-central-1": ("Europe (Frankfurt)", "EU (Frankfurt)"),
    "eu-central-2": ("Europe (Zurich)",),
    "eu-north-1": ("Europe (Stockholm)", "EU (Stockholm)"),
    "eu-south-1": ("Europe (Milan)",),
    "ap-northeast-1": ("Asia Pacific (Tokyo)",),
    "ap-northeast-2": ("Asia Pacific (Seoul)",),
    "ap-northeast-3": ("Asia Pacific (Osaka)", "Asia Pacific (Osaka-Local)"),
    "ap-southeast-1": ("Asia Pacific (Singapore)",),
    "ap-southeast-2": ("Asia Pacific (Sydney)",),
    "ap-south-1": ("Asia Pacific (Mumbai)",),
    "ap-east-1": ("Asia Pacific (Hong Kong)",),
    "me-south-1": ("Middle East (Bahrain)",),
    "af-south-1": ("Africa (Cape Town)",),
    "us-gov-west-1": ("AWS GovCloud (US-West)", "AWS GovCloud (US)"),
    "us-gov-east-1": ("AWS GovCloud (US-East)",),
}


def _region_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


_REGION_BY_NAME = {_region_key(name): code for code, names in _REGION_NAMES.items() for name in names}


@dataclass(frozen=True)
class Envelope:
    """What SNS says about a message, next to the message itself (all optional)."""

    message_id: str | None = None
    subject: str | None = None
    timestamp: str | None = None
    topic_arn: str | None = None


def text(value: object) -> str | None:
    """A non-empty string, or a number shown as text; anything else is absent."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return scalar_text(value)
    return None


def scalar_text(value: object) -> str | None:
    """JSON scalars as people read them: ``60.0`` is ``60``, booleans are ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python will print
            return None
    return None


def format_number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:.10g}"


def integer(value: object) -> int | None:
    number_value = number(value)
    if number_value is None or not number_value.is_integer():
        return None
    return int(number_value)


def number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int | float):
        try:
            result = float(value)
        except OverflowError:
            return None
        return result if math.isfinite(result) else None
    return None


def mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def state(value: object) -> AlarmState | None:
    word = text(value)
    if word is None:
        return None
    try:
        return AlarmState(word.strip().upper())
    except ValueError:
        return None


def timestamp(value: object) -> datetime | None:
    """ISO 8601 in the spellings AWS uses (``+0000``, ``Z``, ``+00:00``); naive means UTC."""
    raw = text(value)
    if raw is None or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def statistic(value: object) -> str | None:
    """SNS spells statistics in capitals (``AVERAGE``); show them as the console does."""
    raw = text(value)
    if raw is None:
        return None
    return _STATISTICS.get(raw.strip().upper(), raw.strip())


def treat_missing_data(value: object) -> str | None:
    """SNS sends ``"- TreatMissingData:                    missing"``; keep only ``missing``."""
    raw = text(value)
    if raw is None:
        return None
    return _TREAT_MISSING_PREFIX.sub("", raw).strip() or None


def region_code(value: object) -> str | None:
    raw = text(value)
    return raw if raw is not None and _REGION_CODE.match(raw) else None


def region_from_name(value: object) -> str | None:
    """A region code from a code or a display name; unknown names give ``None``."""
    raw = text(value)
    if raw is None:
        return None
    return region_code(raw.strip()) or _REGION_BY_NAME.get(_region_key(raw))


def region_hint(word: str) -> str | None:
    """The one region whose display name has ``word`` in it (``Seoul``, ``ohio``), for a reply that
    suggests the code; a word several regions share (``Europe``) gives ``None``."""
    wanted = _region_key(word)
    if not wanted:
        return None
    found = {
        code
        for code, names in _REGION_NAMES.items()
        if any(f" {wanted} " in f" {_region_key(name)} " for name in names) or wanted == _region_key(code)
    }
    return found.pop() if len(found) == 1 else None


def account_id(value: object) -> str | None:
    raw = text(value)
    return raw if raw is not None and _ACCOUNT_ID.match(raw) else None


def first_account(*candidates: object) -> str | None:
    """The first real 12-digit account id, else the first non-empty value (sample data)."""
    for candidate in candidates:
        if account_id(candidate):
            return text(candidate)
    for candidate in candidates:
        if text(candidate):
            return text(candidate)
    return None


@dataclass(frozen=True)
class ArnParts:
    region: str | None = None
    account: str | None = None
    resource: str | None = None


def arn_parts(value: object) -> ArnParts:
    """``arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE``; the resource keeps its own colons."""
    raw = text(value)
    if raw is None or not raw.startswith("arn:"):
        return ArnParts()
    fields = raw.split(":", 5)
    if len(fields) < 6:
        return ArnParts()
    return ArnParts(region_code(fields[3]), text(fields[4]), fields[5] or None)


def alarm_name_from_arn(value: object) -> str | None:
    """Everything after the first ``:alarm:``: alarm names may contain colons themselves."""
    raw = text(value)
    if raw is None or ":alarm:" not in raw:
        return None
    return raw.split(":alarm:", 1)[1] or None


def safe_json(value: object) -> str:
    """Canonical JSON for digests and text; very deep or odd objects give a fixed marker."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    except (RecursionError, ValueError, TypeError):
        return "<unserializable>"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()
