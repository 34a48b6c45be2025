"""The functions' environments against what their code reads: the stack/runtime contract.

Both sides take the variable names from ``alarm_bot.env_names``; these tests check what that
cannot: every variable the stack sets is read by the function it is set on (or by Powertools),
what the function cannot start without is set, and the values pass the function's own checks.
Each function's reader runs on its synthesized environment (references replaced by what
CloudFormation would put there) through an environment that notes every name asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from aws_cdk.assertions import Template

from alarm_bot import env_names
from alarm_bot.handlers.chart_images import Misconfigured, build_dependencies
from alarm_bot.settings import DeliverySettings, Settings, SettingsError
from tests.infra.template_queries import (
    ALL_FEATURES,
    CHART_HANDLER,
    CHAT_HANDLER,
    FANOUT_HANDLER,
    Variant,
    environment,
)
from tests.runtime.test_settings_env_names import ReadRecorder

API = "https://abc123.execute-api.us-east-1.amazonaws.com"
# What CloudFormation resolves each reference in an environment to.
RESOLVED = {
    env_names.SUBSCRIPTIONS_TABLE: "AlarmChatBot-Table-ABC",
    env_names.GOOGLE_CREDENTIALS_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf",
    env_names.CHAT_ENDPOINT_URL: f"{API}/chat",
    env_names.CHAT_AUDIENCE: f"{API}/chat",  # a reference only in URL and add-on mode
    env_names.DELIVERY_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/AlarmChatBot-Delivery",
    env_names.DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/AlarmChatBot-DLQ",
    env_names.CHARTS_BUCKET: "alarmchatbot-botchartsbucket-abc",
    env_names.CHARTS_URL: f"{API}/charts",
}
LAMBDA = {env_names.AWS_REGION: "us-east-1"}  # what Lambda itself adds to every function's environment
# Each function's handler and the code that reads its environment at the cold start.
READERS: Mapping[str, Callable[[Mapping[str, str]], object]] = {
    CHAT_HANDLER: Settings.from_env,
    FANOUT_HANDLER: DeliverySettings.from_env,
    CHART_HANDLER: build_dependencies,
}
VARIANTS: Mapping[str, Mapping[str, object]] = {
    "default": {},
    "everything, as an add-on": {**ALL_FEATURES, "addOnProjectNumber": "987654321"},
    "url audience, no charts": {"chatAudience": "url", "charts": False},
}


def deployed(variables: Mapping[str, Any]) -> dict[str, str]:
    """The environment as the function sees it: references resolved, Lambda's own variables added."""
    references = {name for name, value in variables.items() if not isinstance(value, str)}
    assert references <= set(RESOLVED), f"references nobody resolves: {sorted(references - set(RESOLVED))}"
    return {**variables, **{name: RESOLVED[name] for name in references}, **LAMBDA}


@pytest.fixture(params=list(VARIANTS), scope="module")
def template(request: pytest.FixtureRequest, synth_variant: Variant) -> Template:
    return synth_variant(VARIANTS[request.param])


def functions(template: Template) -> list[str]:
    return [
        handler
        for handler in READERS
        if template.find_resources("AWS::Lambda::Function", {"Properties": {"Handler": handler}})
    ]


def test_every_variable_a_function_gets_is_read(template: Template) -> None:
    for handler in functions(template):
        set_by_the_stack = set(environment(template, handler))
        recorder = ReadRecorder(deployed(environment(template, handler)))
        READERS[handler](recorder)  # the cold start accepts every value
        unread = set_by_the_stack - recorder.read
        assert unread <= env_names.READ_BY_POWERTOOLS, f"{handler} gets {sorted(unread)} and never reads them"
        assert set_by_the_stack & env_names.NEVER_SET_BY_THE_STACK == set()


def test_what_a_function_cannot_start_without_is_set(template: Template) -> None:
    """Drop each variable in turn: those the reader then refuses, naming them, are the required ones."""
    required = {
        CHAT_HANDLER: {env_names.SUBSCRIPTIONS_TABLE, env_names.BOT_ID, env_names.CHAT_AUDIENCE},
        FANOUT_HANDLER: {
            env_names.SUBSCRIPTIONS_TABLE,
            env_names.BOT_ID,
            env_names.GOOGLE_CREDENTIALS_SECRET_ARN,
        },
        CHART_HANDLER: {env_names.CHARTS_BUCKET},
    }
    for handler in functions(template):
        variables = deployed(environment(template, handler))
        refused = set()
        for name in set(variables) - set(LAMBDA):
            try:
                READERS[handler]({key: value for key, value in variables.items() if key != name})
            except (SettingsError, Misconfigured) as error:
                assert str(error).startswith(name), error
                refused.add(name)
        charts_on = env_names.CHARTS_BUCKET in variables and handler == FANOUT_HANDLER
        assert refused == required[handler] | ({env_names.CHARTS_URL} if charts_on else set())


def test_the_stack_sets_names_from_env_names_only(template: Template) -> None:
    known = {value for key, value in vars(env_names).items() if key.isupper() and isinstance(value, str)}
    for handler in functions(template):
        assert set(environment(template, handler)) <= known
