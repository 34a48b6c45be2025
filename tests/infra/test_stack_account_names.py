"""``accountNames`` reaches both functions as ``ACCOUNT_NAMES``: compact JSON, only when set."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Template

from alarm_bot.settings import DeliverySettings, Settings
from tests.infra.template_queries import CHAT_HANDLER, FANOUT_HANDLER, Variant, environment

HANDLERS = (CHAT_HANDLER, FANOUT_HANDLER)
NAMES = {"111122223333": "prod", "444455556666": "스테이징"}


def test_not_set_without_names(stack_template: Template) -> None:
    for handler in HANDLERS:
        assert "ACCOUNT_NAMES" not in environment(stack_template, handler)


@pytest.mark.parametrize("raw", [NAMES, json.dumps(NAMES)])  # cdk.json, or -c accountNames='{...}'
def test_both_functions_get_the_names(synth_variant: Variant, raw: object) -> None:
    template = synth_variant({"accountNames": raw})
    for handler in HANDLERS:
        value = environment(template, handler)["ACCOUNT_NAMES"]
        assert value == '{"111122223333":"prod","444455556666":"스테이징"}'  # compact, UTF-8 as written
        assert json.loads(value) == NAMES


def test_the_functions_settings_still_accept_their_environment(synth_variant: Variant) -> None:
    template = synth_variant({"accountNames": NAMES})
    resolved = {
        "SUBSCRIPTIONS_TABLE": "AlarmChatBot-Table-ABC",
        "CHAT_ENDPOINT_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/chat",
        "GOOGLE_CREDENTIALS_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf",
        "DELIVERY_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/AlarmChatBot-Delivery",
        "DEAD_LETTER_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/AlarmChatBot-DeadLetters",
        "CHARTS_BUCKET": "alarmchatbot-botchartsbucket-abc",
        "CHARTS_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/charts",
        "AWS_REGION": "us-east-1",  # set by Lambda itself
    }
    Settings.from_env({**environment(template, CHAT_HANDLER), **resolved})
    DeliverySettings.from_env({**environment(template, FANOUT_HANDLER), **resolved})
