"""The checks of ``alarm-bot doctor`` after the stack itself, in the order a delivery needs them.

Each is a function of the :class:`DoctorContext` returning a :class:`Finding`; ``CHECKS`` names
them. They only read: nothing here changes the deployment.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Final

import requests
from google.auth import exceptions as google_exceptions
from google.auth.transport.requests import Request

from alarm_bot.delivery.credentials import CredentialsError, chat_credentials
from alarm_bot_cli.credentials import stored_key
from alarm_bot_cli.doctor_charts import check_charts
from alarm_bot_cli.doctor_findings import Check, DoctorContext, Finding, Skip, Status
from alarm_bot_cli.doctor_sources import check_alarm_sources
from alarm_bot_cli.key_policy import CLOUDWATCH, is_aws_managed_sns_key, missing_cloudwatch_actions
from alarm_bot_cli.spaces import store_for
from alarm_bot_cli.stack import ENDPOINT_URL, FANOUT_ALIAS, QUEUE_URL, TOPIC_ARN

HTTP_TIMEOUT: Final = 10.0
UNAUTHORIZED: Final = 401
NEW_KEY: Final = "create a new JSON key for the service account, then `alarm-bot credentials set KEY.json`"
# The stack output that says which Chat app the endpoint accepts (chatbot_stack/chat_audience.py
# writes it; an infra test keeps the names equal): a project number, "url" or "add-on:<number>".
CHAT_AUDIENCE: Final = "ChatAudience"
URL_AUDIENCE: Final = "url"
ADDON_PREFIX: Final = "add-on:"
TO_PROJECT_NUMBER: Final = (
    "in the Chat API configuration set Authentication Audience to Project Number, then "
    '`make deploy CDK_ARGS="-c chatAudience=<project number>"` (README: Security)'
)


class _TimedRequest(Request):
    """google-auth's transport with a short timeout: a doctor must not hang for two minutes."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["timeout"] = min(float(kwargs.get("timeout") or HTTP_TIMEOUT), HTTP_TIMEOUT)
        return super().__call__(*args, **kwargs)  # type: ignore[no-untyped-call]


def check_key(context: DoctorContext) -> Finding:
    """The secret holds a Google service-account key."""
    deployment = context.require_deployment()
    try:
        context.key = stored_key(deployment)
    except CredentialsError as error:
        return Finding(
            Status.FAIL, str(error), "`alarm-bot credentials set KEY.json` with the downloaded key"
        )
    return Finding(Status.PASS, f"key of {context.key.get('client_email')}")


def check_token(context: DoctorContext) -> Finding:
    """Google issues a chat.bot access token for the key (the first step of every delivery)."""
    if context.key is None:
        raise Skip("needs a valid key")
    token_uri = str(context.key.get("token_uri"))
    try:
        credentials = chat_credentials(context.key)
        credentials.refresh(_TimedRequest())  # type: ignore[no-untyped-call]
    except CredentialsError as error:
        return Finding(Status.FAIL, str(error), NEW_KEY)
    except google_exceptions.RefreshError as error:
        return Finding(
            Status.FAIL, f"Google refused the key: {_first_line(error)}", f"the key may be deleted: {NEW_KEY}"
        )
    except google_exceptions.TransportError as error:
        return Finding(
            Status.FAIL, f"cannot reach {token_uri}: {_first_line(error)}", "check this machine's network"
        )
    return Finding(Status.PASS, f"token issued by {token_uri} for the chat.bot scope")


def check_topic_key(context: DoctorContext) -> Finding:
    """CloudWatch alarms may publish to the encrypted topic (its KMS key lets CloudWatch in)."""
    deployment = context.require_deployment()
    topic = deployment.stack.output(TOPIC_ARN)
    attributes = deployment.sns().get_topic_attributes(TopicArn=topic)["Attributes"]
    key_id = attributes.get("KmsMasterKeyId", "")
    redeploy = "run `make deploy` to restore the stack's customer-managed key"
    if not key_id:
        return Finding(Status.WARN, "the topic is not encrypted", redeploy)
    if is_aws_managed_sns_key(key_id):
        return Finding(
            Status.FAIL, f"the topic uses {key_id}, which CloudWatch alarms cannot publish with", redeploy
        )
    kms = deployment.untyped_client("kms")
    metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    if metadata.get("KeyManager") == "AWS":
        return Finding(Status.FAIL, f"the topic uses the AWS-managed key {key_id}", redeploy)
    policy = kms.get_key_policy(KeyId=metadata["KeyId"], PolicyName="default")["Policy"]
    missing = missing_cloudwatch_actions(policy)
    if missing:
        return Finding(
            Status.FAIL,
            f"the policy of key {metadata['KeyId']} does not let {CLOUDWATCH} use {', '.join(missing)}",
            "allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt (`make deploy` restores it)",
        )
    return Finding(Status.PASS, f"customer-managed key {metadata['KeyId']} lets CloudWatch publish")


def check_live_alias(context: DoctorContext) -> Finding:
    """Alarms reach the fan-out's ``live`` alias: an active, published version of the function."""
    deployment = context.require_deployment()
    alias_arn = deployment.stack.outputs.get(FANOUT_ALIAS)
    if not alias_arn:
        return Finding(
            Status.WARN,
            "the stack has no live alias (it predates SnapStart)",
            "deploy again with `make deploy`",
        )
    lambda_client = deployment.untyped_client("lambda")
    return live_version_finding(lambda_client.get_function_configuration(FunctionName=alias_arn))


def live_version_finding(configuration: Mapping[str, Any]) -> Finding:
    """Judge ``GetFunctionConfiguration`` of the alias: the version it serves, its state, SnapStart."""
    version = str(configuration.get("Version") or "$LATEST")
    state = str(configuration.get("State") or "Active")
    snap_start = configuration.get("SnapStart") or {}
    if version == "$LATEST":
        return Finding(
            Status.WARN, "the live alias points at $LATEST, which SnapStart never serves", "`make deploy`"
        )
    if state == "Failed":
        reason = configuration.get("StateReason") or "no reason given"
        return Finding(
            Status.FAIL, f"version {version} failed to initialize: {reason}", "see the fan-out function's log"
        )
    if state != "Active":
        return Finding(
            Status.WARN,
            f"version {version} is {state}: calls fail until Lambda has initialized it again",
            "wait a few minutes; the keep-warm schedule normally keeps it Active",
        )
    if snap_start.get("ApplyOn") != "PublishedVersions":
        return Finding(Status.PASS, f"version {version}, SnapStart off (snapStart=false or not offered here)")
    if snap_start.get("OptimizationStatus") != "On":
        return Finding(
            Status.WARN, f"version {version}: SnapStart is set but not on yet", "wait, then run doctor again"
        )
    return Finding(Status.PASS, f"version {version}, started from its SnapStart snapshot")


def check_endpoint(context: DoctorContext) -> Finding:
    """The Chat endpoint answers, and refuses a request Google did not sign (401)."""
    url = context.require_deployment().stack.output(ENDPOINT_URL)
    try:
        response = requests.post(url, json={"type": "MESSAGE"}, timeout=HTTP_TIMEOUT)
    except requests.RequestException as error:
        return Finding(
            Status.FAIL, f"{url} is unreachable: {_first_line(error)}", "check the API in API Gateway"
        )
    if response.status_code == UNAUTHORIZED:
        return Finding(Status.PASS, f"{url} refuses unsigned requests (401)")
    if response.ok:
        return Finding(
            Status.FAIL,
            f"{url} accepted a request without a Google token (HTTP {response.status_code})",
            "deploy the current version with `make deploy`: the endpoint must verify every request",
        )
    return Finding(
        Status.FAIL,
        f"{url} answered HTTP {response.status_code}, expected 401",
        "see the chat function's log",
    )


def check_chat_audience(context: DoctorContext) -> Finding:
    """Chat requests must be bound to one Google Cloud project; URL mode accepts any project's app."""
    audience = context.require_deployment().stack.outputs.get(CHAT_AUDIENCE, "").strip()
    if audience.isdigit():
        return Finding(Status.PASS, f"only the Chat app of project {audience} is accepted")
    if audience.startswith(ADDON_PREFIX):
        number = audience.removeprefix(ADDON_PREFIX)
        return Finding(Status.PASS, f"only the Workspace add-on of project {number} is accepted")
    if audience == URL_AUDIENCE:
        return Finding(
            Status.WARN,
            "URL mode (chatAudience=url): the endpoint accepts the Chat app of any Google Cloud "
            "project that is pointed at its URL",
            TO_PROJECT_NUMBER,
        )
    if not audience:
        return Finding(
            Status.WARN,
            f"the stack has no {CHAT_AUDIENCE} output: it was deployed by a version whose default "
            "was URL mode, which accepts the Chat app of any project pointed at the URL",
            TO_PROJECT_NUMBER,
        )
    return Finding(Status.WARN, f"unknown {CHAT_AUDIENCE} output {audience!r}", "`make deploy`")


def check_spaces(context: DoctorContext) -> Finding:
    """At least one Chat space has added the bot and receives alarms."""
    records = store_for(context.require_deployment()).list_spaces()
    now = time.time()
    receiving = [record for record in records if record.subscribed and not record.is_muted(now)]
    add_bot = "add the bot to a space in Google Chat (Apps & integrations > Add apps)"
    if not records:
        return Finding(Status.WARN, "no space has added the bot yet", add_bot)
    detail = f"{len(records)} space(s), {len(receiving)} receiving alarms now"
    if not receiving:
        return Finding(Status.WARN, detail + " (all muted or unsubscribed)", "see `alarm-bot spaces`")
    return Finding(Status.PASS, detail)


def check_dead_letters(context: DoctorContext) -> Finding:
    """The dead-letter queue is empty (no notification was lost on its way to Chat)."""
    deployment = context.require_deployment()
    response = deployment.sqs().get_queue_attributes(
        QueueUrl=deployment.stack.output(QUEUE_URL),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )
    attributes = response.get("Attributes", {})
    visible = int(attributes.get("ApproximateNumberOfMessages", "0"))
    waiting = visible + int(attributes.get("ApproximateNumberOfMessagesNotVisible", "0"))
    if waiting:
        return Finding(
            Status.FAIL,
            f"{waiting} notification(s) wait in the dead-letter queue",
            "see them with `alarm-bot redrive --dry-run`, fix the cause, then run alarm-bot redrive",
        )
    return Finding(Status.PASS, "empty")


def check_own_alarms(context: DoctorContext) -> Finding:
    """The bot's own alarms (function errors and throttles, dead letters) are OK."""
    deployment = context.require_deployment()
    prefix = f"{deployment.stack.name}-"
    states: dict[str, str] = {}
    for page in (
        deployment.cloudwatch()
        .get_paginator("describe_alarms")
        .paginate(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    ):
        for alarm in [*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])]:
            states[alarm["AlarmName"]] = alarm["StateValue"]
    if not states:
        return Finding(
            Status.WARN, f"no alarms named {prefix}*", "deploy the current version with `make deploy`"
        )
    firing = sorted(name for name, state in states.items() if state == "ALARM")
    if firing:
        return Finding(
            Status.FAIL,
            f"in ALARM: {', '.join(firing)}",
            "read the alarm's description in CloudWatch and the function's log",
        )
    unknown = sorted(name for name, state in states.items() if state != "OK")
    if unknown:
        return Finding(
            Status.WARN, f"not evaluated yet: {', '.join(unknown)}", "normal right after a deployment"
        )
    return Finding(Status.PASS, f"{len(states)} alarm(s) OK")


def _first_line(error: BaseException) -> str:
    """The error's own message (google-auth puts it first in ``args``), one line, bounded."""
    message = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
    return (message.strip().splitlines() or [type(error).__name__])[0][:200]


CHECKS: Final[tuple[tuple[str, Check], ...]] = (
    ("google key", check_key),
    ("google token", check_token),
    ("topic encryption", check_topic_key),
    ("live alias", check_live_alias),
    ("chat endpoint", check_endpoint),
    ("chat audience", check_chat_audience),
    ("spaces", check_spaces),
    ("dead letters", check_dead_letters),
    ("bot alarms", check_own_alarms),
    ("alarm sources", check_alarm_sources),
    ("charts", check_charts),
)
