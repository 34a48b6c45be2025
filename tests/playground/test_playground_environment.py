"""The playground's functions get what the stack gives them: the same variables, the same values.

Compared with the stack's own functions (``chat_environment``, ``fanout_environment``) for the
deployment's ``cdk.json``, and read back by the runtime's settings; the resource shapes in moto are
compared with the stack's constants. Only the documented differences are allowed.
"""

from __future__ import annotations

import json

import pytest

from alarm_bot.settings import DeliverySettings, Settings
from playground import aws_setup, config, poller
from playground.config import (
    PROJECT_NUMBER,
    Options,
    OptionsError,
    Wiring,
    chat_environment,
    delivery_environment,
    lambda_environment,
    stack_context,
)

WIRING = Wiring(
    moto_url="http://127.0.0.1:5000",
    certs_url="http://127.0.0.1:5001/certs",
    chat_api_url="http://127.0.0.1:5002",
    table="Table",
    secret_arn="arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:key",
    queue_url="http://127.0.0.1:5000/123456789012/delivery",
    dead_letter_url="http://127.0.0.1:5000/123456789012/dead",
)
STACK_ENDPOINT = "https://abc.execute-api.ap-northeast-2.amazonaws.com/chat"
LOCAL_URLS = {"CHAT_CERTS_URL": WIRING.certs_url, "GOOGLE_OIDC_CERTS_URL": WIRING.certs_url}


def _stack_config(options: Options) -> object:
    from chatbot_stack.config import BotConfig

    return BotConfig.from_mapping({**stack_context(options), "chatAudience": PROJECT_NUMBER})


@pytest.mark.parametrize("options", [Options(), Options(locale="ko", time_zone="Asia/Seoul")])
def test_the_chat_function_gets_the_stacks_variables(options: Options) -> None:
    from chatbot_stack.chat_endpoint import chat_environment as stack_environment

    stack = stack_environment(_stack_config(options), WIRING.table, STACK_ENDPOINT)  # type: ignore[arg-type]
    expected = {key: value for key, value in stack.items() if key != "CHAT_ENDPOINT_URL"} | LOCAL_URLS
    assert chat_environment(stack_context(options), WIRING) == expected


@pytest.mark.parametrize("options", [Options(), Options(locale="ko", time_zone="Asia/Seoul")])
def test_the_delivery_function_gets_the_stacks_variables_without_charts(options: Options) -> None:
    from chatbot_stack.delivery_function import DeliveryQueues, delivery_function_environment

    queues = DeliveryQueues(WIRING.queue_url, WIRING.dead_letter_url)
    stack = delivery_function_environment(
        _stack_config(options),  # type: ignore[arg-type]
        WIRING.table,
        WIRING.secret_arn,
        STACK_ENDPOINT,
        queues,
        charts=None,
    )
    expected = {key: value for key, value in stack.items() if key != "CHAT_ENDPOINT_URL"}
    assert delivery_environment(stack_context(options), WIRING) == expected | {
        "CHAT_API_BASE_URL": WIRING.chat_api_url
    }


def test_the_settings_read_both_environments() -> None:
    context = stack_context(Options(locale="ko"))
    base = lambda_environment("fn", 256, WIRING.moto_url, parent={})
    chat = Settings.from_env(base | chat_environment(context, WIRING))
    assert (chat.chat_audience, chat.locale, chat.chat_certs_url) == (PROJECT_NUMBER, "ko", WIRING.certs_url)
    assert chat.slash_commands["2"] == "status"
    delivery = DeliverySettings.from_env(base | delivery_environment(context, WIRING))
    assert (delivery.chat_api_base_url, delivery.queue_url) == (WIRING.chat_api_url, WIRING.queue_url)
    assert delivery.charts is None and delivery.chat_endpoint_url is None


def test_nothing_of_the_persons_aws_or_google_setup_reaches_a_function() -> None:
    parent = {
        "PATH": "/usr/bin",
        "AWS_PROFILE": "production",
        "AWS_ACCESS_KEY_ID": "AKIAREAL",
        "GOOGLE_APPLICATION_CREDENTIALS": "/home/me/key.json",
    }
    environment = lambda_environment("fn", 256, WIRING.moto_url, parent=parent)
    assert "AWS_PROFILE" not in environment and "GOOGLE_APPLICATION_CREDENTIALS" not in environment
    assert environment["AWS_ACCESS_KEY_ID"] == "playground"
    assert environment["AWS_ENDPOINT_URL"] == WIRING.moto_url
    assert environment["PATH"] == "/usr/bin"


def test_the_resources_in_moto_are_shaped_like_the_stacks() -> None:
    from chatbot_stack import (
        delivery_function,
        delivery_queue,
        encrypted_queues,
        function,
        subscriptions_table,
    )

    assert (aws_setup.MAX_RECEIVES, aws_setup.VISIBILITY_PER_TIMEOUT) == (
        delivery_queue.MAX_RECEIVES,
        delivery_queue.VISIBILITY_PER_TIMEOUT,
    )
    assert encrypted_queues.RETENTION.to_seconds() == aws_setup.RETENTION_SECONDS
    assert (aws_setup.PARTITION_KEY, aws_setup.SORT_KEY, aws_setup.TTL_ATTRIBUTE) == (
        subscriptions_table.PARTITION_KEY,
        subscriptions_table.SORT_KEY,
        subscriptions_table.TTL_ATTRIBUTE,
    )
    assert poller.BATCH_SIZE == delivery_function.BATCH_SIZE
    assert (config.SERVICE_NAME, config.METRICS_NAMESPACE) == (
        function.SERVICE_NAME,
        delivery_function.METRICS_NAMESPACE,
    )
    assert config.DELIVERY_MEMORY_MB == delivery_function.MEMORY_SIZE


def test_the_options_are_read_and_checked() -> None:
    assert Options.from_env({}) == Options()
    assert Options.from_env({"DEMO_PORT": "9000", "DEMO_LOCALE": "ko"}) == Options(port=9000, locale="ko")
    for bad in ("0", "70000", "http", "-1"):
        with pytest.raises(OptionsError, match="DEMO_PORT"):
            Options.from_env({"DEMO_PORT": bad})


def test_the_context_is_the_deployments_with_the_persons_choices() -> None:
    context = stack_context(Options(time_zone="Asia/Seoul"))
    assert context["timeZone"] == "Asia/Seoul"
    assert json.loads(chat_environment(context, WIRING)["SLASH_COMMANDS"]) == context["slashCommands"]
