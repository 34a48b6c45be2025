"""The bot's deployment settings, read from CDK context and checked at synth time.

A typo in ``cdk.json`` or ``cdk -c key=value`` should stop ``cdk synth`` with a message that names the
context key, not deploy a function that fails every cold start. Values given with ``-c`` arrive as
strings, so numbers, booleans and the slash-command object are also accepted in their JSON/text form.

Context keys (in brackets the default, which is the :class:`BotConfig` field's; ``cdk.json`` does not
repeat the defaults: it holds CDK's own settings, and a deployment may add its choices there):

``chatAudience`` [none: must be set]
    How Google Chat signs its requests. A Google Cloud project number (digits) means the bot is a
    Chat app whose tokens are issued by ``chat@system.gserviceaccount.com`` for that number. The
    literal ``url`` means the token audience is the HTTP endpoint URL, which names no project, so
    only an explicit ``url`` selects it (see :mod:`chatbot_stack.chat_audience` for why). Unset,
    synth stops with a message that says where the number is.
``addOnProjectNumber`` [unset]
    Project number of a Google Workspace add-on. When set, the bot runs as an add-on and the token
    audience is always the endpoint URL, whatever ``chatAudience`` says (``chatAudience`` may then
    stay unset).
``locale`` [``en``]  Language of the bot's messages: ``en`` or ``ko``.
``slashCommands`` [ids 1-6]  Command id (as configured in the console) to command name.
``timeZone`` [``UTC``]  IANA zone used when the bot shows times.
``botId`` [``alarm-chat-bot``]  Partition key value in the subscriptions table.
``logRetentionDays`` [90]  Retention of the function and access log groups.
``apiThrottleRateLimit`` / ``apiThrottleBurstLimit`` [20 / 40]  HTTP API stage throttling.
``tableDeletionProtection`` [true]  DynamoDB deletion protection on the subscriptions table.
``trustedAccountIds`` [none]  Other AWS accounts (12-digit ids) that send their alarms to the bot:
    their CloudWatch alarms in this region may name the alarm topic as action (CloudWatch publishes
    for them, so the topic and key policies name ``cloudwatch.amazonaws.com`` with their ids; their
    IAM principals get nothing), and their forwarder stacks may put events on the alarm event bus.
``organizationId`` [unset]  An AWS Organizations id (``o-`` and 10-32 letters or digits): every
    account of the organization is trusted like ``trustedAccountIds`` (``aws:SourceOrgID`` on the
    topic and key, ``aws:PrincipalOrgID`` on the event bus).
``accountNames`` [none]  Account id → display name, an object or its JSON text (each name 1-64
    characters): both functions get it as ``ACCOUNT_NAMES``, to show ``prod (111122223333)``.
``alarmNamePrefixes`` [none]  When set, an EventBridge rule also delivers the state changes of
    this account's alarms whose names start with one of these, with no alarm action needed; the
    forwarder stack (:mod:`chatbot_stack.forwarder`) forwards only those too (all alarms when unset).
``alarmBusArn`` [unset]  Read by the forwarder stack only: the default of its ``AlarmBusArn``
    parameter (the bot stack's ``AlarmEventBusArn`` output).
``opsEmail`` [unset]  Address that gets the bot's own health alarms by e-mail, on a topic of
    their own: it still reaches people when the delivery to Chat is what is broken.
``fanoutTimeoutSeconds`` [90]  Timeout of the alarm fan-out function (1-900).
``deliveryConcurrency`` [16]  Chat spaces the fan-out function posts to in parallel (1-64).
``spaceWritesPerMinute`` [50]  Messages the bot writes (posts and edits) to one space per minute, at
    most (5-60). Google allows 60 per space, shared by every app and webhook in the space.
``projectWritesPerMinute`` [2700]  Writes per minute over all spaces (100-3000, Google's limit
    for one Chat app's project).
``groupWindowSeconds`` [30]  When a space gets more notifications than its budget lets through one
    by one, how long it collects them before the first digest (0-900; Alertmanager's group_wait).
``groupIntervalSeconds`` [60]  The least time between two digests of a space, and between two
    edits of a posted digest (1-3600; Alertmanager's group_interval).
``fanoutMaxConcurrency`` [5]  Delivery function instances that consume the delivery queue at once
    (2-1000, the event source mapping's maximum concurrency): a storm waits in the queue instead
    of taking the account's Lambda concurrency.
``snapStart`` [true]  Lambda SnapStart on the Chat and fan-out functions (never on the chart
    function): a cold start resumes a snapshot of the initialized function instead of importing
    everything again. Costs a small caching charge per function (see the README); turn it off if
    that charge matters more than the first alarm's latency. Regions without SnapStart get it left
    out by a template condition (``snap_start.py``).
``charts`` [true]  A chart of the alarm's metric on each card (:mod:`chatbot_stack.charts`): a
    private bucket, ``GET /charts/{file}`` on the API and a small function behind it. ``false``
    creates none of them and the cards carry no image.
``chartHours`` [3]  Hours of the metric a chart shows before the state change (1-24).
``chartBudgetSeconds`` [3]  How long the delivery may wait for CloudWatch to draw a chart (0.5-10,
    and less than ``fanoutTimeoutSeconds``) before it posts the card without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeVar

from aws_cdk import aws_logs as logs

from alarm_bot import settings as runtime
from chatbot_stack import chat_audience as audience
from chatbot_stack import config_accounts as accounts
from chatbot_stack import config_choices as choices
from chatbot_stack import config_values as parse
from chatbot_stack.alarm_topic import AlarmSources
from chatbot_stack.config_choices import RETENTION_DAYS
from chatbot_stack.context_settings import ContextSettings

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# Lambda's maximum timeout. The other limits are the runtime's (alarm_bot.settings), so synth
# rejects exactly what the functions would reject at their cold start.
MAX_FANOUT_TIMEOUT_SECONDS: Final = 900
MAX_FANOUT_MAX_CONCURRENCY: Final = 1000  # Lambda's limit for an SQS event source's maximum concurrency

Props = TypeVar("Props", bound="DataclassInstance")


@dataclass(frozen=True)
class BotConfig(ContextSettings):
    """Validated settings; build it with :meth:`from_context` or :meth:`from_mapping`.

    The field defaults are the context keys' defaults (:data:`CONTEXT_FIELDS` names each field's
    key). ``chat_audience`` has no working default, here as in the context: an app that embeds the
    bot must name its Chat app's project (or ``url``, or an add-on) just like ``cdk deploy`` must.
    """

    chat_audience: str = ""
    addon_project_number: str | None = None
    locale: str = "en"
    slash_commands: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {"1": "help", "2": "status", "3": "subscribe", "4": "unsubscribe", "5": "mute", "6": "unmute"}
        )
    )
    time_zone: str = "UTC"
    bot_id: str = "alarm-chat-bot"
    log_retention_days: int = 90
    api_throttle_rate_limit: float = 20
    api_throttle_burst_limit: int = 40
    table_deletion_protection: bool = True
    trusted_account_ids: tuple[str, ...] = ()
    organization_id: str | None = None
    account_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    alarm_name_prefixes: tuple[str, ...] = ()
    ops_email: str | None = None
    fanout_timeout_seconds: int = 90
    delivery_concurrency: int = 16
    space_writes_per_minute: int = 50
    project_writes_per_minute: int = 2700
    group_window_seconds: int = 30
    group_interval_seconds: int = 60
    fanout_max_concurrency: int = 5
    snap_start: bool = True
    charts: bool = True
    chart_hours: int = 3
    chart_budget_seconds: float = 3.0

    @classmethod
    def context_fields(cls) -> Mapping[str, tuple[str, parse.Parser]]:
        """:data:`CONTEXT_FIELDS`, which the module defines after the class."""
        return CONTEXT_FIELDS

    def __post_init__(self) -> None:
        audience.check_chosen(self.chat_audience, self.addon_project_number)
        if self.charts and self.chart_budget_seconds >= self.fanout_timeout_seconds:
            raise ValueError(
                f"context key 'chartBudgetSeconds' ({self.chart_budget_seconds:g}) must be less than "
                f"'fanoutTimeoutSeconds' ({self.fanout_timeout_seconds}): the delivery function would "
                "time out waiting for a chart instead of posting the card"
            )

    def props(self, props_type: type[Props]) -> Props:
        """A construct's props dataclass, filled from the fields of the same names.

        Each construct takes only what it uses (its props name those fields); this is where the
        whole configuration is narrowed to them, so a props field BotConfig lacks fails at once.
        """
        return props_type(**{item.name: getattr(self, item.name) for item in fields(props_type)})

    @property
    def audience_is_endpoint_url(self) -> bool:
        """True when Google signs tokens for the endpoint URL rather than for a project number."""
        return audience.is_endpoint_url(self.chat_audience, self.addon_project_number)

    @property
    def alarm_sources(self) -> AlarmSources:
        """Whose CloudWatch alarms besides this account's may publish to the alarm topic."""
        return AlarmSources(self.trusted_account_ids, self.organization_id)

    @property
    def log_retention(self) -> logs.RetentionDays:
        """The retention as the CDK enum (``logRetentionDays`` is validated against the same table)."""
        return RETENTION_DAYS[self.log_retention_days]


def _whole(low: int, high: int, why: str, *, zero: bool = False) -> parse.Parser:
    """A whole number from ``low`` to ``high``; ``why`` names the limit's origin in the error."""
    return lambda key, value: parse.integer_in_range(key, value, low, high, why=why, zero=zero)


# Every context key BotConfig reads → (its field, its parser), in the order they are checked.
CONTEXT_FIELDS: Final[Mapping[str, tuple[str, parse.Parser]]] = MappingProxyType(
    {
        "chatAudience": ("chat_audience", lambda _key, value: audience.audience(value)),
        "addOnProjectNumber": ("addon_project_number", audience.optional_project_number),
        "locale": ("locale", lambda key, value: parse.choice(key, value, runtime.SUPPORTED_LOCALES)),
        "slashCommands": ("slash_commands", lambda _key, value: choices.slash_commands(value)),
        "timeZone": ("time_zone", lambda _key, value: choices.time_zone(value)),
        "botId": ("bot_id", lambda _key, value: choices.bot_id(value)),
        "logRetentionDays": ("log_retention_days", lambda _key, value: choices.retention_days(value)),
        "apiThrottleRateLimit": ("api_throttle_rate_limit", parse.positive_number),
        "apiThrottleBurstLimit": ("api_throttle_burst_limit", parse.positive_integer),
        "tableDeletionProtection": ("table_deletion_protection", parse.boolean),
        "trustedAccountIds": ("trusted_account_ids", parse.account_ids),
        "organizationId": ("organization_id", accounts.organization_id),
        "accountNames": ("account_names", accounts.account_names),
        "alarmNamePrefixes": ("alarm_name_prefixes", parse.alarm_name_prefixes),
        "opsEmail": ("ops_email", parse.optional_email),
        "fanoutTimeoutSeconds": (
            "fanout_timeout_seconds",
            _whole(1, MAX_FANOUT_TIMEOUT_SECONDS, "Lambda's timeout limit"),
        ),
        "deliveryConcurrency": (
            "delivery_concurrency",
            _whole(1, runtime.MAX_DELIVERY_CONCURRENCY, "what the fan-out function accepts"),
        ),
        "spaceWritesPerMinute": (
            "space_writes_per_minute",
            _whole(
                runtime.MIN_SPACE_WRITES,
                runtime.MAX_SPACE_WRITES,
                "Google Chat allows 60 writes per space per minute",
            ),
        ),
        "projectWritesPerMinute": (
            "project_writes_per_minute",
            _whole(
                runtime.MIN_PROJECT_WRITES,
                runtime.MAX_PROJECT_WRITES,
                "Google Chat allows 3,000 writes per project per minute",
            ),
        ),
        "groupWindowSeconds": (
            "group_window_seconds",
            _whole(0, runtime.MAX_GROUP_WINDOW_SECONDS, "what the bot accepts", zero=True),
        ),
        "groupIntervalSeconds": (
            "group_interval_seconds",
            _whole(1, runtime.MAX_GROUP_INTERVAL_SECONDS, "what the bot accepts"),
        ),
        "fanoutMaxConcurrency": (
            "fanout_max_concurrency",
            _whole(
                2, MAX_FANOUT_MAX_CONCURRENCY, "Lambda's limits for an SQS event source's maximum concurrency"
            ),
        ),
        "snapStart": ("snap_start", parse.boolean),
        "charts": ("charts", parse.boolean),
        "chartHours": ("chart_hours", _whole(1, runtime.MAX_CHART_HOURS, "what a chart can show")),
        "chartBudgetSeconds": (
            "chart_budget_seconds",
            lambda key, value: parse.number_in_range(
                key,
                value,
                runtime.MIN_CHART_BUDGET_SECONDS,
                runtime.MAX_CHART_BUDGET_SECONDS,
                why="a chart may delay a card a few seconds, never more",
            ),
        ),
    }
)


def context_defaults() -> dict[str, object]:
    """BotConfig's defaults as context values (lists, objects, ``""`` for unset), derived from the
    fields: for tools that merge or show a deployment's context, as ``cdk.json`` no longer lists them.
    """
    defaults = {item.name: item for item in fields(BotConfig)}
    result: dict[str, object] = {}
    for key, (name, _parser) in CONTEXT_FIELDS.items():
        item = defaults[name]
        value = item.default if item.default_factory is MISSING else item.default_factory()
        if value is None:
            value = ""
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        result[key] = value
    return result
