"""The playground's fixed names, the options a person may set, and each function's environment.

The functions read everything from their environment, so the environment is where the playground
must be the stack: :func:`chat_environment` and :func:`delivery_environment` set the variables
``chatbot_stack/chat_endpoint.py`` and ``chatbot_stack/delivery_function.py`` set, with the values
the deployment's ``cdk.json`` gives (a test compares them with the stack's own functions). Three
things differ, and only because there is no HTTPS endpoint, no Google and no AWS account here:

* ``CHAT_ENDPOINT_URL`` is not set: settings accept only an https:// URL, and a classic Chat app
  (the default) does not use it; its buttons name an action, not the endpoint;
* ``CHAT_CERTS_URL``, ``GOOGLE_OIDC_CERTS_URL`` and ``CHAT_API_BASE_URL`` point at the stand-ins;
* the AWS SDK gets moto's URL (``AWS_ENDPOINT_URL``) and made-up credentials, and reads no profile.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
REGION = "ap-northeast-2"
ACCOUNT = "123456789012"  # moto's default account, the one every resource lands in
PROJECT_NUMBER = "424242424242"  # the made-up Chat app's project: CHAT_AUDIENCE, every token's aud
DEFAULT_PORT = 8765
CHAT_TIMEOUT_SECONDS = 10  # the Chat function's timeout (BotFunction's default)
CHAT_MEMORY_MB = 256
DELIVERY_MEMORY_MB = 512
SERVICE_NAME = "alarm-chat-bot"
METRICS_NAMESPACE = "AlarmChatBot"
# Names of the resources in moto (CloudFormation would generate them in a real account).
TABLE_NAME = "AlarmChatBot-Subscriptions"
TOPIC_NAME = "AlarmChatBot-AlarmTopic"
QUEUE_NAME = "AlarmChatBot-DeliveryQueue"
DEAD_LETTER_QUEUE_NAME = "AlarmChatBot-DeadLetterQueue"
SECRET_NAME = "AlarmChatBot/google-service-account"  # noqa: S105 - its name, not its value
CHAT_FUNCTION = "AlarmChatBot-ChatEvents"
DELIVERY_FUNCTION = "AlarmChatBot-AlarmEvents"
# Made-up AWS credentials: moto accepts anything, and nothing can reach a real account with these.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "playground",
    "AWS_SECRET_ACCESS_KEY": "playground",
    "AWS_SESSION_TOKEN": "playground",
}
# What a child keeps of the parent's environment: enough to run Python, nothing about AWS or Google.
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZDIR", "SYSTEMROOT")


class OptionsError(ValueError):
    """A DEMO_* variable has a value the playground cannot use; the message names it."""


@dataclass(frozen=True)
class Options:
    """What a person may choose: ``DEMO_PORT``, ``DEMO_LOCALE``, ``DEMO_TIME_ZONE``."""

    port: int = DEFAULT_PORT
    locale: str | None = None  # None: cdk.json's ``locale``
    time_zone: str | None = None  # None: cdk.json's ``timeZone``

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Options:
        env = os.environ if env is None else env
        raw_port = env.get("DEMO_PORT", "").strip() or str(DEFAULT_PORT)
        if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
            raise OptionsError(f"DEMO_PORT must be a TCP port from 1 to 65535, not {raw_port!r}")
        return cls(
            port=int(raw_port),
            locale=env.get("DEMO_LOCALE", "").strip() or None,
            time_zone=env.get("DEMO_TIME_ZONE", "").strip() or None,
        )


@dataclass(frozen=True)
class Wiring:
    """Where everything is once it runs: the URLs of the stand-ins and the resources in moto."""

    moto_url: str
    certs_url: str
    chat_api_url: str
    table: str
    secret_arn: str
    queue_url: str
    dead_letter_url: str


def stack_context(options: Options, path: Path = REPO / "cdk.json") -> dict[str, Any]:
    """The deployment's context (``cdk.json`` over BotConfig's defaults), with the locale and time
    zone a person chose."""
    from chatbot_stack.config import context_defaults  # noqa: PLC0415 - the CDK, 700 ms, not in the function processes

    context: dict[str, Any] = context_defaults()
    context.update(json.loads(path.read_text(encoding="utf-8")).get("context", {}))
    if options.locale is not None:
        context["locale"] = options.locale
    if options.time_zone is not None:
        context["timeZone"] = options.time_zone
    return context


def chat_environment(context: Mapping[str, Any], wiring: Wiring) -> dict[str, str]:
    """The Chat function's variables, as ``chat_environment`` in the stack sets them."""
    environment = {
        "SUBSCRIPTIONS_TABLE": wiring.table,
        "BOT_ID": str(context.get("botId") or SERVICE_NAME),
        "CHAT_AUDIENCE": PROJECT_NUMBER,
        "LOCALE": str(context.get("locale") or "en"),
        "SLASH_COMMANDS": json.dumps(dict(context.get("slashCommands") or {}), separators=(",", ":")),
        "TIME_ZONE": str(context.get("timeZone") or "UTC"),
        "CHAT_CERTS_URL": wiring.certs_url,
        "GOOGLE_OIDC_CERTS_URL": wiring.certs_url,
    }
    return {**environment, **_account_names(context)}


def delivery_environment(context: Mapping[str, Any], wiring: Wiring) -> dict[str, str]:
    """The delivery function's variables, as the stack's ``delivery_function_environment`` sets them (no
    charts: they need S3 and CloudWatch's chart images, which moto does not draw)."""
    environment = {
        "DELIVERY_QUEUE_URL": wiring.queue_url,
        "DEAD_LETTER_QUEUE_URL": wiring.dead_letter_url,
        "SPACE_WRITES_PER_MINUTE": str(context.get("spaceWritesPerMinute", 50)),
        "PROJECT_WRITES_PER_MINUTE": str(context.get("projectWritesPerMinute", 2700)),
        "GROUP_WINDOW_SECONDS": str(context.get("groupWindowSeconds", 30)),
        "GROUP_INTERVAL_SECONDS": str(context.get("groupIntervalSeconds", 60)),
        "SUBSCRIPTIONS_TABLE": wiring.table,
        "BOT_ID": str(context.get("botId") or SERVICE_NAME),
        "GOOGLE_CREDENTIALS_SECRET_ARN": wiring.secret_arn,
        "LOCALE": str(context.get("locale") or "en"),
        "TIME_ZONE": str(context.get("timeZone") or "UTC"),
        "DELIVERY_CONCURRENCY": str(context.get("deliveryConcurrency", 16)),
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "CHAT_API_BASE_URL": wiring.chat_api_url,
    }
    return {**environment, **_account_names(context)}


def lambda_environment(
    function_name: str, memory_mb: int, moto_url: str, parent: Mapping[str, str] | None = None
) -> dict[str, str]:
    """What Lambda itself and the function's common settings (``BotFunction``) put in every
    function's environment, plus the way to moto; nothing else of the parent's shell."""
    return {
        **base_environment(parent),
        **FAKE_CREDENTIALS,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_CONFIG_FILE": os.devnull,  # no profile of the person's own can be picked up
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def base_environment(parent: Mapping[str, str] | None = None) -> dict[str, str]:
    """What every child needs to run Python with this repository's packages, and nothing more."""
    parent = os.environ if parent is None else parent
    kept = {name: parent[name] for name in _INHERITED if name in parent}
    return {
        **kept,
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "lambda")]),
        "PYTHONUNBUFFERED": "1",
    }


def _account_names(context: Mapping[str, Any]) -> dict[str, str]:
    names = context.get("accountNames") or {}
    if not names:
        return {}
    return {"ACCOUNT_NAMES": json.dumps(dict(names), ensure_ascii=False, separators=(",", ":"))}
