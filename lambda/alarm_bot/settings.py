"""Runtime settings, read once from the Lambda environment.

The stack sets every variable; tests set them through ``monkeypatch``. A bad value fails the cold
start with a message that names the variable, rather than surfacing later as a confusing 500.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from alarm_bot import env_names as var  # var.LOCALE is the name "LOCALE"
from alarm_bot.alarms.places import NO_NAMES, AccountNames, is_account_id
from alarm_bot.timefmt import zone

CHAT_ISSUER = "chat@system.gserviceaccount.com"
DEFAULT_CHAT_CERTS_URL = (
    "https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com"
)
DEFAULT_GOOGLE_OIDC_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
DEFAULT_CHAT_API_BASE_URL = "https://chat.googleapis.com"
SUPPORTED_LOCALES = ("en", "ko")
COMMAND_NAMES = ("help", "status", "subscribe", "unsubscribe", "mute", "unmute", "mention")

_PROJECT_NUMBER = re.compile(r"^[0-9]{1,20}$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The limits are synth's too (chatbot_stack/config*.py imports them): it rejects what these would.
ACCOUNT_NAME_MAX_LENGTH = 64
MAX_DELIVERY_CONCURRENCY = 64
# Fewer than 5 writes a minute cannot edit a digest and announce the change in one go; Google Chat
# allows 60 per space, 3,000 per project (developers.google.com/workspace/chat/limits).
MIN_SPACE_WRITES, MAX_SPACE_WRITES = 5, 60
MIN_PROJECT_WRITES, MAX_PROJECT_WRITES = 100, 3000
MAX_GROUP_WINDOW_SECONDS, MAX_GROUP_INTERVAL_SECONDS = 900, 3600
MAX_CHART_HOURS = 24  # what alarm_bot.charts.widget draws (its MAX_HOURS)
# A chart is worth a few seconds of a card's delivery, never more (alarm_bot.charts.render).
MIN_CHART_BUDGET_SECONDS, MAX_CHART_BUDGET_SECONDS = 0.5, 10.0
CHART_ROUTE = "/charts"  # the chart route's path (handlers/chart_images.py): CHARTS_URL ends in it


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class _BotSpacesSettings:
    """Where both functions find the spaces: the one table, under this bot's partition key."""

    subscriptions_table: str
    bot_id: str


@dataclass(frozen=True)
class Settings(_BotSpacesSettings):
    """What the functions need to know about their deployment."""

    chat_audience: str
    locale: str = "en"
    addon_project_number: str | None = None
    chat_certs_url: str = DEFAULT_CHAT_CERTS_URL
    google_oidc_certs_url: str = DEFAULT_GOOGLE_OIDC_CERTS_URL
    slash_commands: Mapping[str, str] = field(default_factory=dict)
    time_zone: str = "UTC"
    # The app's own URL: a Workspace add-on's buttons must name it (classic apps name an action).
    chat_endpoint_url: str | None = None
    account_names: AccountNames = field(default_factory=dict)  # account:NAME filters, status

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        addon = env.get(var.ADDON_PROJECT_NUMBER, "").strip() or None
        if addon is not None and not _PROJECT_NUMBER.match(addon):
            raise SettingsError(f"{var.ADDON_PROJECT_NUMBER} must be a Google Cloud project number (digits)")
        return cls(
            subscriptions_table=_required(env, var.SUBSCRIPTIONS_TABLE),
            bot_id=_required(env, var.BOT_ID),
            chat_audience=_audience(_required(env, var.CHAT_AUDIENCE)),
            locale=_locale(env),
            addon_project_number=addon,
            chat_certs_url=env.get(var.CHAT_CERTS_URL) or DEFAULT_CHAT_CERTS_URL,
            google_oidc_certs_url=env.get(var.GOOGLE_OIDC_CERTS_URL) or DEFAULT_GOOGLE_OIDC_CERTS_URL,
            slash_commands=_slash_commands(env.get(var.SLASH_COMMANDS, "")),
            time_zone=_time_zone(env),
            chat_endpoint_url=_endpoint_url(env),
            account_names=account_names(env.get(var.ACCOUNT_NAMES, "")),
        )

    @property
    def add_on(self) -> bool:
        return self.addon_project_number is not None

    @property
    def audience_is_project_number(self) -> bool:
        """True when Chat signs requests as chat@system for the project number (mode a)."""
        return bool(_PROJECT_NUMBER.match(self.chat_audience))


@dataclass(frozen=True)
class ChartSettings:
    """Charts on alarm cards (issue #13): where they are kept and served, what they show, how long
    a card may wait for one. Present only when ``CHARTS_BUCKET`` is set."""

    bucket: str
    url: str  # CHARTS_URL: a chart is ``<url>/<id>.png``
    region: str  # the function's own (AWS_REGION): its CloudWatch draws this account's charts
    hours: int = 3
    budget_seconds: float = 3.0

    @property
    def base_url(self) -> str:
        """The route's base (``url`` without ``/charts``), as the renderer builds its paths from it."""
        return self.url.removesuffix(CHART_ROUTE)


@dataclass(frozen=True)
class DeliverySettings(_BotSpacesSettings):
    """What the alarm fan-out function needs: where spaces live, how to reach Google Chat."""

    credentials_secret_arn: str
    locale: str = "en"
    time_zone: str = "UTC"
    chat_api_base_url: str = DEFAULT_CHAT_API_BASE_URL
    max_workers: int = 16
    # Buttons on ALARM cards are addressed differently for a Workspace add-on (its endpoint URL).
    add_on: bool = False
    chat_endpoint_url: str | None = None
    # The delivery queue (intake and scheduled flushes) and its dead-letter queue.
    queue_url: str | None = None
    dead_letter_queue_url: str | None = None
    space_writes_per_minute: int = 50
    project_writes_per_minute: int = 2700
    group_window_seconds: float = 30.0
    group_interval_seconds: float = 60.0
    time_scale: float = 1.0  # test-only: the storm benchmark runs delivery faster (DELIVERY_TIME_SCALE)
    account_names: AccountNames = field(default_factory=dict)  # cards name accounts
    charts: ChartSettings | None = None  # None: cards carry no chart

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DeliverySettings:
        env = os.environ if environ is None else environ
        base_url = (env.get(var.CHAT_API_BASE_URL) or DEFAULT_CHAT_API_BASE_URL).rstrip("/")
        if not base_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise SettingsError(f"{var.CHAT_API_BASE_URL} must be an https:// URL")
        return cls(
            subscriptions_table=_required(env, var.SUBSCRIPTIONS_TABLE),
            bot_id=_required(env, var.BOT_ID),
            credentials_secret_arn=_required(env, var.GOOGLE_CREDENTIALS_SECRET_ARN),
            locale=_locale(env),
            time_zone=_time_zone(env),
            chat_api_base_url=base_url,
            max_workers=_whole(env, var.DELIVERY_CONCURRENCY, 16, 1, MAX_DELIVERY_CONCURRENCY),
            add_on=bool(env.get(var.ADDON_PROJECT_NUMBER, "").strip()),
            chat_endpoint_url=_endpoint_url(env),
            queue_url=env.get(var.DELIVERY_QUEUE_URL, "").strip() or None,
            dead_letter_queue_url=env.get(var.DEAD_LETTER_QUEUE_URL, "").strip() or None,
            space_writes_per_minute=_whole(
                env, var.SPACE_WRITES_PER_MINUTE, 50, MIN_SPACE_WRITES, MAX_SPACE_WRITES
            ),
            project_writes_per_minute=_whole(
                env, var.PROJECT_WRITES_PER_MINUTE, 2700, MIN_PROJECT_WRITES, MAX_PROJECT_WRITES
            ),
            group_window_seconds=_whole(env, var.GROUP_WINDOW_SECONDS, 30, 0, MAX_GROUP_WINDOW_SECONDS),
            group_interval_seconds=_whole(env, var.GROUP_INTERVAL_SECONDS, 60, 1, MAX_GROUP_INTERVAL_SECONDS),
            time_scale=_number(env, var.DELIVERY_TIME_SCALE, 1, 0.01, 1),
            account_names=account_names(env.get(var.ACCOUNT_NAMES, "")),
            charts=chart_settings(env),
        )


def chart_settings(env: Mapping[str, str]) -> ChartSettings | None:
    """Charts from ``CHARTS_BUCKET`` (unset or empty: none), ``CHARTS_URL``, ``CHART_HOURS`` and
    ``CHART_BUDGET_SECONDS``.

    Read once, at the cold start, so a bad value stops the function there, naming the variable,
    instead of every card quietly going out without its chart.
    """
    bucket = env.get(var.CHARTS_BUCKET, "").strip()
    if not bucket:
        return None
    url = env.get(var.CHARTS_URL, "").strip().rstrip("/")
    if not url:
        raise SettingsError(
            f"{var.CHARTS_URL} is not set ({var.CHARTS_BUCKET} is: charts need their public URL)"
        )
    local = url.startswith("http://127.0.0.1")  # tests and benchmarks only
    if (
        not (url.startswith("https://") or local)
        or not url.endswith(CHART_ROUTE)
        or any(c in url for c in " ?#")
    ):
        raise SettingsError(
            f"{var.CHARTS_URL} must be the https:// URL of the chart route, ending in {CHART_ROUTE}"
        )
    region = (env.get(var.AWS_REGION) or env.get(var.AWS_DEFAULT_REGION) or "").strip()
    if not region:
        raise SettingsError(f"{var.AWS_REGION} is not set (charts are drawn by the function's own region)")
    return ChartSettings(
        bucket=bucket,
        url=url,
        region=region,
        hours=_whole(env, var.CHART_HOURS, 3, 1, MAX_CHART_HOURS),
        budget_seconds=_number(
            env,
            var.CHART_BUDGET_SECONDS,
            3.0,
            MIN_CHART_BUDGET_SECONDS,
            MAX_CHART_BUDGET_SECONDS,
            what="a number of seconds",
        ),
    )


def _number(
    env: Mapping[str, str], name: str, default: float, low: float, high: float, *, what: str = "a number"
) -> float:
    raw = env.get(name, "").strip() or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # NaN fails too
        raise SettingsError(f"{name} must be {what} from {low:g} to {high:g}")
    return value


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _locale(env: Mapping[str, str]) -> str:
    locale = env.get(var.LOCALE, "en").strip() or "en"
    if locale not in SUPPORTED_LOCALES:
        raise SettingsError(f"{var.LOCALE} must be one of {', '.join(SUPPORTED_LOCALES)}, not {locale!r}")
    return locale


def _time_zone(env: Mapping[str, str]) -> str:
    name = env.get(var.TIME_ZONE, "").strip() or "UTC"
    try:
        zone(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise SettingsError(f"{var.TIME_ZONE} {name!r} is not an IANA time zone such as Asia/Seoul") from None
    return name


def _endpoint_url(env: Mapping[str, str]) -> str | None:
    url = env.get(var.CHAT_ENDPOINT_URL, "").strip()
    if url and not url.startswith("https://"):
        raise SettingsError(f"{var.CHAT_ENDPOINT_URL} must be the https:// URL of the Chat endpoint")
    return url or None


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(f"{name} is not set")
    return value


def _audience(value: str) -> str:
    if _PROJECT_NUMBER.match(value) or value.startswith("https://"):
        return value
    raise SettingsError(f"{var.CHAT_AUDIENCE} must be a project number or the https:// endpoint URL")


def _json_object_variable(raw: str, name: str, entries: str) -> dict[str, object]:
    """Decode a map-valued variable; the error says which variable and what it should map."""
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SettingsError(f"{name} is not JSON: {error.msg}") from None
    if not isinstance(parsed, dict):
        raise SettingsError(f"{name} must be a JSON object of {entries}")
    return parsed


def _slash_commands(raw: str) -> dict[str, str]:
    """Parse ``{"1": "help", "2": "status"}``: Chat sends command ids, users think in names."""
    if not raw.strip():
        return {}
    parsed = _json_object_variable(raw, var.SLASH_COMMANDS, "command id to command name")
    commands: dict[str, str] = {}
    for command_id, name in parsed.items():
        if not isinstance(name, str) or name.lstrip("/") not in COMMAND_NAMES:
            raise SettingsError(f"{var.SLASH_COMMANDS} maps {command_id!r} to unknown command {name!r}")
        commands[str(command_id)] = name.lstrip("/")
    return commands


def account_names(raw: str) -> AccountNames:
    """Parse ``{"111122223333": "prod"}``: cards and filters call accounts by the names people use.

    The rules are synth's (``chatbot_stack/config_accounts.py``, ``accountNames``), so a deployed
    stack always starts; a value set by hand that breaks them fails the cold start like any other
    bad setting. A name that cannot be typed back in ``account:NAME`` (it has a space, another
    account has it in other capitals) is still shown on cards; filters then use the id.
    """
    if not raw.strip():
        return NO_NAMES
    parsed = _json_object_variable(raw, var.ACCOUNT_NAMES, "12-digit account id to name")
    names: dict[str, str] = {}
    for account, name in parsed.items():
        if not is_account_id(account):
            raise SettingsError(f"{var.ACCOUNT_NAMES} key {account!r} is not a 12-digit account id")
        text = name.strip() if isinstance(name, str) else ""
        if not 1 <= len(text) <= ACCOUNT_NAME_MAX_LENGTH or _CONTROL_CHARACTERS.search(text):
            raise SettingsError(
                f"{var.ACCOUNT_NAMES} name {name!r} of {account} must be 1 to {ACCOUNT_NAME_MAX_LENGTH} "
                "characters without control characters"
            )
        names[account] = text
    return names
