"""Which Chat app the endpoint accepts, as the template says it: audience, output, URL-mode warning."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Annotations, Match, Template

from chatbot_stack import chat_audience
from tests.infra.conftest import PROJECT_NUMBER
from tests.infra.template_queries import CHAT_HANDLER, Variant, environment, only

URL_WARNING = Match.string_like_regexp("chatAudience=url: the endpoint accepts Google Chat requests of any")


def endpoint_join(template: Template) -> dict[str, Any]:
    api_id = only(template, "AWS::ApiGatewayV2::Api")[0]
    return {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "ApiEndpoint"]}, "/chat"]]}


def synthesized(context: dict[str, object]) -> tuple[Template, Annotations]:
    """A stack for ``context`` alone (no cdk.json), with the annotations CDK attached to it."""
    from aws_cdk import App

    from chatbot_stack.config import BotConfig
    from chatbot_stack.stack import AlarmChatBotStack

    app = App(context={**context, "aws:cdk:bundling-stacks": []})
    stack = AlarmChatBotStack(app, "AlarmChatBot", config=BotConfig.from_context(app.node))
    return Template.from_stack(stack), Annotations.from_stack(stack)  # both of one synthesis


def test_the_default_synthesis_is_bound_to_the_project(stack_template: Template) -> None:
    assert environment(stack_template, CHAT_HANDLER)["CHAT_AUDIENCE"] == PROJECT_NUMBER
    assert stack_template.find_outputs(chat_audience.OUTPUT_NAME)[chat_audience.OUTPUT_NAME]["Value"] == (
        PROJECT_NUMBER
    )


def test_url_mode_still_deploys_when_asked_for_and_says_what_it_risks() -> None:
    template, annotations = synthesized({"chatAudience": "url"})
    assert environment(template, CHAT_HANDLER)["CHAT_AUDIENCE"] == endpoint_join(template)
    assert template.find_outputs(chat_audience.OUTPUT_NAME)[chat_audience.OUTPUT_NAME]["Value"] == "url"
    annotations.has_warning("/AlarmChatBot", URL_WARNING)


@pytest.mark.parametrize(
    "context",
    [{"chatAudience": PROJECT_NUMBER}, {"addOnProjectNumber": "987654321"}],
    ids=["project", "add-on"],
)
def test_no_url_mode_warning_when_bound_to_a_project(context: dict[str, object]) -> None:
    _, annotations = synthesized(context)
    annotations.has_no_warning("*", URL_WARNING)


def test_addon_output_names_the_addon_project(synth_variant: Variant) -> None:
    template = synth_variant({"addOnProjectNumber": "987654321"})
    output = template.find_outputs(chat_audience.OUTPUT_NAME)[chat_audience.OUTPUT_NAME]
    assert output["Value"] == "add-on:987654321"


def test_doctor_reads_the_output_the_stack_writes() -> None:
    from alarm_bot_cli import doctor_checks

    assert doctor_checks.CHAT_AUDIENCE == chat_audience.OUTPUT_NAME
    assert doctor_checks.URL_AUDIENCE == chat_audience.URL_AUDIENCE
    assert doctor_checks.ADDON_PREFIX == chat_audience.ADDON_OUTPUT_PREFIX
