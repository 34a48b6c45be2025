"""The names of the functions' environment variables: the one contract between stack and runtime.

The CDK constructs (``chatbot_stack``) set these variables and the runtime reads them, so both
import the names from here instead of each spelling them; a typo is then an ``AttributeError``,
not a variable one side sets and the other never reads. Constants only, importing nothing of the
project, so that CDK code can import it without the runtime's dependencies.

Each comment says who reads the variable: ``Settings`` is the Chat function's
(:class:`alarm_bot.settings.Settings`), ``DeliverySettings`` the fan-out function's
(:class:`alarm_bot.settings.DeliverySettings`, its charts in :func:`alarm_bot.settings.chart_settings`).
"""

from __future__ import annotations

from typing import Final

# Both functions' settings: which table, which bot, how it speaks.
SUBSCRIPTIONS_TABLE: Final = "SUBSCRIPTIONS_TABLE"  # Settings, DeliverySettings (required)
BOT_ID: Final = "BOT_ID"  # Settings, DeliverySettings (required)
LOCALE: Final = "LOCALE"  # Settings, DeliverySettings
TIME_ZONE: Final = "TIME_ZONE"  # Settings, DeliverySettings
ADDON_PROJECT_NUMBER: Final = "ADDON_PROJECT_NUMBER"  # Settings, DeliverySettings (set for an add-on)
CHAT_ENDPOINT_URL: Final = "CHAT_ENDPOINT_URL"  # Settings, DeliverySettings (add-on card buttons)
ACCOUNT_NAMES: Final = "ACCOUNT_NAMES"  # Settings, DeliverySettings (set when names are given)

# The Chat function only.
CHAT_AUDIENCE: Final = "CHAT_AUDIENCE"  # Settings (required)
SLASH_COMMANDS: Final = "SLASH_COMMANDS"  # Settings

# The fan-out function only.
# DeliverySettings (required); a variable holding the secret's ARN, not a secret.
GOOGLE_CREDENTIALS_SECRET_ARN: Final = "GOOGLE_CREDENTIALS_SECRET_ARN"  # noqa: S105
DELIVERY_CONCURRENCY: Final = "DELIVERY_CONCURRENCY"  # DeliverySettings
DELIVERY_QUEUE_URL: Final = "DELIVERY_QUEUE_URL"  # DeliverySettings
DEAD_LETTER_QUEUE_URL: Final = "DEAD_LETTER_QUEUE_URL"  # DeliverySettings
SPACE_WRITES_PER_MINUTE: Final = "SPACE_WRITES_PER_MINUTE"  # DeliverySettings
PROJECT_WRITES_PER_MINUTE: Final = "PROJECT_WRITES_PER_MINUTE"  # DeliverySettings
GROUP_WINDOW_SECONDS: Final = "GROUP_WINDOW_SECONDS"  # DeliverySettings
GROUP_INTERVAL_SECONDS: Final = "GROUP_INTERVAL_SECONDS"  # DeliverySettings
# Charts: the fan-out draws them (chart_settings, all four); the chart function serves them
# (alarm_bot.handlers.chart_images reads CHARTS_BUCKET only, and requires it).
CHARTS_BUCKET: Final = "CHARTS_BUCKET"
CHARTS_URL: Final = "CHARTS_URL"  # chart_settings (required when CHARTS_BUCKET is set)
CHART_HOURS: Final = "CHART_HOURS"  # chart_settings
CHART_BUDGET_SECONDS: Final = "CHART_BUDGET_SECONDS"  # chart_settings

# Read by the runtime, never set by the stack: tests and benchmarks point the functions elsewhere.
CHAT_CERTS_URL: Final = "CHAT_CERTS_URL"  # Settings: chat@system's certificates
GOOGLE_OIDC_CERTS_URL: Final = "GOOGLE_OIDC_CERTS_URL"  # Settings: Google's ID-token certificates
CHAT_API_BASE_URL: Final = "CHAT_API_BASE_URL"  # DeliverySettings: a local Chat API stand-in
DELIVERY_TIME_SCALE: Final = "DELIVERY_TIME_SCALE"  # DeliverySettings: the storm benchmark's clock
NEVER_SET_BY_THE_STACK: Final = frozenset(
    {CHAT_CERTS_URL, GOOGLE_OIDC_CERTS_URL, CHAT_API_BASE_URL, DELIVERY_TIME_SCALE}
)

# Set by Lambda itself in every function; chart_settings reads the region the fan-out draws in.
AWS_REGION: Final = "AWS_REGION"
AWS_DEFAULT_REGION: Final = "AWS_DEFAULT_REGION"

# Read by Powertools for AWS Lambda, which the stack configures through them in every function;
# alarm_bot.handlers.alarm_events also reads the namespace for its own metrics.
POWERTOOLS_SERVICE_NAME: Final = "POWERTOOLS_SERVICE_NAME"
POWERTOOLS_LOG_LEVEL: Final = "POWERTOOLS_LOG_LEVEL"
POWERTOOLS_METRICS_NAMESPACE: Final = "POWERTOOLS_METRICS_NAMESPACE"
READ_BY_POWERTOOLS: Final = frozenset(
    {POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE}
)
