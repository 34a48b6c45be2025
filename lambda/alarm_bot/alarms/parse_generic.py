"""Everything that is not a CloudWatch alarm: other AWS events, other JSON, plain text.

People subscribe the bot's topic to more than alarms (GuardDuty, Health, Backup, Glue...). Rather
than one parser per service, an event is shown as a handful of its salient scalar fields, chosen
from a list of keys that AWS services commonly use, then the rest in document order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alarm_bot.alarms.model import GenericNotification
from alarm_bot.alarms.parse_values import (
    Envelope,
    arn_parts,
    digest,
    first_account,
    mapping,
    region_code,
    safe_json,
    scalar_text,
    text,
    timestamp,
)

MAX_EVENT_FACTS = 8
MAX_JSON_FACTS = 10
# Keys that say what happened, across GuardDuty, Security Hub, Inspector, Health, Glue, Backup,
# CodeBuild, CodePipeline, ECS, Auto Scaling...; compared case-insensitively, in this order.
_SALIENT_KEYS = (
    "title",
    "type",
    "description",
    "eventTypeCode",
    "service",
    "statusCode",
    "eventTypeCategory",
    "state",
    "status",
    "jobName",
    "project-name",
    "build-status",
    "pipeline",
    "stage",
    "deploymentId",
    "backupJobId",
    "resourceType",
    "lastStatus",
    "message",
    "errorMessage",
)
_SEVERITY_KEYS = ("severity", "Severity", "SeverityLabel", "findingSeverity")


def is_eventbridge_event(value: Mapping[str, Any]) -> bool:
    return isinstance(value.get("detail-type"), str) and isinstance(value.get("detail"), Mapping)


def parse_generic_event(event: Mapping[str, Any], envelope: Envelope) -> GenericNotification:
    detail = mapping(event.get("detail"))
    subject = _salient_object(detail)
    topic = arn_parts(envelope.topic_arn)
    facts = [("source", value)] if (value := text(event.get("source"))) else []
    facts += _facts(subject, MAX_EVENT_FACTS, skip=_SEVERITY_KEYS)
    return GenericNotification(
        title=text(event.get("detail-type")) or envelope.subject or "",
        source="eventbridge",
        dedup_id=envelope.message_id or text(event.get("id")) or digest(safe_json(event)),
        facts=tuple(facts),
        text=_latest_description(detail),
        severity=_severity(subject),
        account=first_account(
            event.get("account"),
            subject.get("accountId"),
            subject.get("awsAccountId"),
            subject.get("AwsAccountId"),
        ),
        region=region_code(event.get("region")) or topic.region,
        time=timestamp(event.get("time")) or timestamp(envelope.timestamp),
        detail_type=text(event.get("detail-type")),
    )


def parse_json(value: object, envelope: Envelope, source: str) -> GenericNotification:
    """Any other JSON: its top-level scalars as facts, or the JSON itself when it has none."""
    facts = _facts(value, MAX_JSON_FACTS) if isinstance(value, Mapping) else []
    return _from_envelope(
        envelope,
        source=source,
        facts=tuple(facts),
        body=None if facts else safe_json(value),
        content=safe_json(value),
    )


def parse_text(value: str, envelope: Envelope) -> GenericNotification:
    return _from_envelope(envelope, source="text", facts=(), body=value.strip() or value, content=value)


def _from_envelope(
    envelope: Envelope, *, source: str, facts: tuple[tuple[str, str], ...], body: str | None, content: str
) -> GenericNotification:
    topic = arn_parts(envelope.topic_arn)
    return GenericNotification(
        title=envelope.subject or "",
        source=source,
        dedup_id=envelope.message_id or digest(content),
        facts=facts,
        text=body,
        account=topic.account,
        region=topic.region,
        time=timestamp(envelope.timestamp),
    )


def _salient_object(detail: Mapping[str, Any]) -> Mapping[str, Any]:
    """Security Hub nests everything in ``findings[]``: look at the first finding instead."""
    findings = detail.get("findings")
    if isinstance(findings, list) and findings and isinstance(findings[0], Mapping):
        return findings[0]
    return detail


def _facts(value: Mapping[str, Any], limit: int, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    scalars = {}
    for key, item in value.items():
        shown = scalar_text(item) if isinstance(key, str) and key not in skip else None
        if shown is not None and shown.strip():
            scalars[key] = shown
    by_lower = {key.lower(): key for key in scalars}
    preferred = [by_lower[name.lower()] for name in _SALIENT_KEYS if name.lower() in by_lower]
    ordered = preferred + [key for key in scalars if key not in preferred]
    return [(key, scalars[key]) for key in ordered[:limit]]


def _severity(subject: Mapping[str, Any]) -> str | None:
    """A scalar ``severity``, or Security Hub's ``Severity.Label`` (older findings: ProductFields)."""
    product_fields = mapping(subject.get("ProductFields"))
    candidates = [subject.get(key) for key in _SEVERITY_KEYS]
    candidates.append(product_fields.get("aws/securityhub/SeverityLabel"))
    for candidate in candidates:
        value = (
            candidate.get("Label", candidate.get("label")) if isinstance(candidate, Mapping) else candidate
        )
        shown = scalar_text(value)
        if shown and shown.strip():
            return shown
    return None


def _latest_description(detail: Mapping[str, Any]) -> str | None:
    """AWS Health puts its human-readable text in ``eventDescription[].latestDescription``."""
    descriptions = detail.get("eventDescription")
    if isinstance(descriptions, list):
        for entry in descriptions:
            latest = text(mapping(entry).get("latestDescription"))
            if latest:
                return latest
    return None
