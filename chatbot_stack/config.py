"""The bot's deployment settings, read from CDK context and checked at synth time.

A typo in ``cdk.json`` or ``cdk -c key=value`` should stop ``cdk synth`` with a message that names the
context key, not deploy a function that fails every cold start. Values given with ``-c`` arrive as
strings, so numbers, booleans and the slash-command object are also accepted in their JSON/text form.

Context keys (defaults in brackets; ``cdk.json`` repeats them so they are easy to find):

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
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Protocol

from aws_cdk import aws_logs as logs

from chatbot_stack import chat_audience as audience
from chatbot_stack import config_accounts as accounts
from chatbot_stack import config_choices as choices
from chatbot_stack import config_values as parse
from chatbot_stack.alarm_topic import AlarmSources
from chatbot_stack.config_choices import RETENTION_DAYS

# Kept equal to alarm_bot.settings (a test checks it) so synth rejects what the function would reject.
SUPPORTED_LOCALES: Final = ("en", "ko")
URL_AUDIENCE: Final = audience.URL_AUDIENCE

DEFAULT_SLASH_COMMANDS: Final[Mapping[str, str]] = MappingProxyType(
    {"1": "help", "2": "status", "3": "subscribe", "4": "unsubscribe", "5": "mute", "6": "unmute"}
)

# Every context key the app reads, with the value used when the key is absent.
DEFAULTS: Final[Mapping[str, object]] = MappingProxyType(
    {
        "chatAudience": "",  # no default: the deploy must say which project (chat_audience.py)
        "addOnProjectNumber": "",
        "locale": "en",
        "slashCommands": dict(DEFAULT_SLASH_COMMANDS),
        "timeZone": "UTC",
        "botId": "alarm-chat-bot",
        "logRetentionDays": 90,
        "apiThrottleRateLimit": 20,
        "apiThrottleBurstLimit": 40,
        "tableDeletionProtection": True,
        "trustedAccountIds": [],
        "organizationId": "",
        "accountNames": {},
        "alarmNamePrefixes": [],
        "alarmBusArn": "",  # the forwarder stack's (chatbot_stack/forwarder.py), not BotConfig's
        "opsEmail": "",
        "fanoutTimeoutSeconds": 90,
        "deliveryConcurrency": 16,
        "spaceWritesPerMinute": 50,
        "projectWritesPerMinute": 2700,
        "groupWindowSeconds": 30,
        "groupIntervalSeconds": 60,
        "fanoutMaxConcurrency": 5,
        "snapStart": True,
        "charts": True,
        "chartHours": 3,
        "chartBudgetSeconds": 3,
    }
)
# Lambda's maximum timeout, and alarm_bot.settings.DeliverySettings' limit (a test keeps them equal).
MAX_FANOUT_TIMEOUT_SECONDS: Final = 900
MAX_DELIVERY_CONCURRENCY: Final = 64
# Google Chat's quotas (developers.google.com/workspace/chat/limits), kept equal to
# alarm_bot.delivery.rules (a test checks it); 5 writes let a digest be edited and announced at once.
MIN_SPACE_WRITES: Final = 5
MAX_SPACE_WRITES: Final = 60
MAX_PROJECT_WRITES: Final = 3000
# Kept equal to alarm_bot.charts.widget.MAX_HOURS (a test checks it): what the chart builder draws.
MAX_CHART_HOURS: Final = 24
# A chart is worth a few seconds of a card's delivery, never more (alarm_bot.charts.render).
MIN_CHART_BUDGET_SECONDS: Final = 0.5
MAX_CHART_BUDGET_SECONDS: Final = 10


class ContextSource(Protocol):
    """What :meth:`BotConfig.from_context` needs: ``constructs.Node`` (``app.node``) has it."""

    def try_get_context(self, key: str) -> Any: ...


@dataclass(frozen=True)
class BotConfig:
    """Validated settings; build it with :meth:`from_context` or :meth:`from_mapping`.

    ``chat_audience`` has no working default, here as in the context: an app that embeds the bot
    must name its Chat app's project (or ``url``, or an add-on) just like ``cdk deploy`` must.
    """

    chat_audience: str = ""
    addon_project_number: str | None = None
    locale: str = "en"
    slash_commands: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_SLASH_COMMANDS))
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
    def from_context(cls, node: ContextSource) -> BotConfig:
        """Read every key from CDK context (``cdk.json`` and ``-c``), defaults filling the gaps."""
        return cls.from_mapping({key: node.try_get_context(key) for key in DEFAULTS})

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> BotConfig:
        """Validate raw context values; ``None`` or a missing key means the default."""
        raw = {key: _or_default(values, key) for key in DEFAULTS}
        return cls(
            chat_audience=audience.audience(raw["chatAudience"]),
            addon_project_number=audience.optional_project_number(
                "addOnProjectNumber", raw["addOnProjectNumber"]
            ),
            locale=parse.choice("locale", raw["locale"], SUPPORTED_LOCALES),
            slash_commands=choices.slash_commands(raw["slashCommands"]),
            time_zone=choices.time_zone(raw["timeZone"]),
            bot_id=choices.bot_id(raw["botId"]),
            log_retention_days=choices.retention_days(raw["logRetentionDays"]),
            api_throttle_rate_limit=parse.positive_number(
                "apiThrottleRateLimit", raw["apiThrottleRateLimit"]
            ),
            api_throttle_burst_limit=parse.positive_integer(
                "apiThrottleBurstLimit", raw["apiThrottleBurstLimit"]
            ),
            table_deletion_protection=parse.boolean(
                "tableDeletionProtection", raw["tableDeletionProtection"]
            ),
            trusted_account_ids=parse.account_ids("trustedAccountIds", raw["trustedAccountIds"]),
            organization_id=accounts.organization_id("organizationId", raw["organizationId"]),
            account_names=accounts.account_names("accountNames", raw["accountNames"]),
            alarm_name_prefixes=parse.alarm_name_prefixes("alarmNamePrefixes", raw["alarmNamePrefixes"]),
            ops_email=parse.optional_email("opsEmail", raw["opsEmail"]),
            fanout_timeout_seconds=parse.integer_in_range(
                "fanoutTimeoutSeconds",
                raw["fanoutTimeoutSeconds"],
                1,
                MAX_FANOUT_TIMEOUT_SECONDS,
                why="Lambda's timeout limit",
            ),
            delivery_concurrency=parse.integer_in_range(
                "deliveryConcurrency",
                raw["deliveryConcurrency"],
                1,
                MAX_DELIVERY_CONCURRENCY,
                why="what the fan-out function accepts",
            ),
            **_storm_settings(raw),
            snap_start=parse.boolean("snapStart", raw["snapStart"]),
            charts=parse.boolean("charts", raw["charts"]),
            chart_hours=parse.integer_in_range(
                "chartHours", raw["chartHours"], 1, MAX_CHART_HOURS, why="what a chart can show"
            ),
            chart_budget_seconds=parse.number_in_range(
                "chartBudgetSeconds",
                raw["chartBudgetSeconds"],
                MIN_CHART_BUDGET_SECONDS,
                MAX_CHART_BUDGET_SECONDS,
                why="a chart may delay a card a few seconds, never more",
            ),
        )

    def __post_init__(self) -> None:
        audience.check_chosen(self.chat_audience, self.addon_project_number)
        if self.charts and self.chart_budget_seconds >= self.fanout_timeout_seconds:
            raise ValueError(
                f"context key 'chartBudgetSeconds' ({self.chart_budget_seconds:g}) must be less than "
                f"'fanoutTimeoutSeconds' ({self.fanout_timeout_seconds}): the delivery function would "
                "time out waiting for a chart instead of posting the card"
            )

    @property
    def audience_is_endpoint_url(self) -> bool:
        """True when Google signs tokens for the endpoint URL rather than for a project number."""
        return self.chat_audience == URL_AUDIENCE or self.addon_project_number is not None

    @property
    def alarm_sources(self) -> AlarmSources:
        """Whose CloudWatch alarms besides this account's may publish to the alarm topic."""
        return AlarmSources(self.trusted_account_ids, self.organization_id)

    @property
    def log_retention(self) -> logs.RetentionDays:
        """The retention as the CDK enum (``logRetentionDays`` is validated against the same table)."""
        return RETENTION_DAYS[self.log_retention_days]


def _storm_settings(raw: Mapping[str, object]) -> dict[str, int]:
    """The delivery queue's knobs: write budgets, grouping times, consumer concurrency."""
    return {
        "space_writes_per_minute": parse.integer_in_range(
            "spaceWritesPerMinute",
            raw["spaceWritesPerMinute"],
            MIN_SPACE_WRITES,
            MAX_SPACE_WRITES,
            why="Google Chat allows 60 writes per space per minute",
        ),
        "project_writes_per_minute": parse.integer_in_range(
            "projectWritesPerMinute",
            raw["projectWritesPerMinute"],
            100,
            MAX_PROJECT_WRITES,
            why="Google Chat allows 3,000 writes per project per minute",
        ),
        "group_window_seconds": parse.integer_in_range(
            "groupWindowSeconds", raw["groupWindowSeconds"], 0, 900, why="what the bot accepts", zero=True
        ),
        "group_interval_seconds": parse.integer_in_range(
            "groupIntervalSeconds", raw["groupIntervalSeconds"], 1, 3600, why="what the bot accepts"
        ),
        "fanout_max_concurrency": parse.integer_in_range(
            "fanoutMaxConcurrency",
            raw["fanoutMaxConcurrency"],
            2,
            1000,
            why="Lambda's limits for an SQS event source's maximum concurrency",
        ),
    }


def _or_default(values: Mapping[str, object], key: str) -> object:
    value = values.get(key)
    return DEFAULTS[key] if value is None else value
