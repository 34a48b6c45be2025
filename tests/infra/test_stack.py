"""What the synthesized AlarmChatBot template promises: resources, wiring and outputs."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk.assertions import Match, Template

from alarm_bot.settings import Settings
from tests.infra.conftest import DEFAULT_COMMANDS, PROJECT_NUMBER
from tests.infra.template_queries import (
    ALL_FEATURES,
    CHART_HANDLER,
    CHAT_HANDLER,
    FANOUT_HANDLER,
    FUNCTION,
    Variant,
    actions,
    alias_ref,
    environment,
    function,
    only,
    role_statements,
)

HANDLER = CHAT_HANDLER


def function_environment(template: Template) -> dict[str, Any]:
    """The Chat function's variables (the fan-out function has its own tests)."""
    return environment(template, HANDLER)


def endpoint_join(template: Template) -> dict[str, Any]:
    api_id = only(template, "AWS::ApiGatewayV2::Api")[0]
    return {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "ApiEndpoint"]}, "/chat"]]}


def test_table_keeps_the_old_key_schema_and_is_protected(stack_template: Template) -> None:
    stack_template.resource_count_is("AWS::DynamoDB::Table", 1)
    stack_template.has_resource(
        "AWS::DynamoDB::Table",
        {
            "Properties": {
                "KeySchema": [
                    {"AttributeName": "bot_id", "KeyType": "HASH"},
                    {"AttributeName": "space_id", "KeyType": "RANGE"},
                ],
                "AttributeDefinitions": [
                    {"AttributeName": "bot_id", "AttributeType": "S"},
                    {"AttributeName": "space_id", "AttributeType": "S"},
                ],
                "BillingMode": "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                "SSESpecification": {"SSEEnabled": True},
                "DeletionProtectionEnabled": True,
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_function_runtime_and_limits(stack_template: Template) -> None:
    stack_template.resource_count_is(FUNCTION, 3)  # the Chat endpoint, the alarm fan-out, chart images
    stack_template.has_resource_properties(
        FUNCTION,
        {
            "Runtime": "python3.14",
            "Architectures": ["arm64"],
            "Handler": HANDLER,
            "TracingConfig": {"Mode": "Active"},
            "MemorySize": 256,
            "Timeout": 10,
        },
    )


def test_default_environment_uses_the_project_number_as_audience(stack_template: Template) -> None:
    table_id = only(stack_template, "AWS::DynamoDB::Table")[0]
    assert function_environment(stack_template) == {
        "SUBSCRIPTIONS_TABLE": {"Ref": table_id},
        "BOT_ID": "alarm-chat-bot",
        "CHAT_AUDIENCE": PROJECT_NUMBER,
        "LOCALE": "en",
        "SLASH_COMMANDS": json.dumps(DEFAULT_COMMANDS, separators=(",", ":")),
        "TIME_ZONE": "UTC",
        "CHAT_ENDPOINT_URL": endpoint_join(stack_template),
        "POWERTOOLS_SERVICE_NAME": "alarm-chat-bot",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def test_project_number_audience_is_the_literal_number(synth_variant: Variant) -> None:
    template = synth_variant(
        {"chatAudience": "123456789012", "locale": "ko", "timeZone": "Asia/Seoul", "botId": "legacy"}
    )
    environment = function_environment(template)
    assert environment["CHAT_AUDIENCE"] == "123456789012"
    assert environment["LOCALE"] == "ko"
    assert environment["TIME_ZONE"] == "Asia/Seoul"
    assert environment["BOT_ID"] == "legacy"
    assert "ADDON_PROJECT_NUMBER" not in environment


def test_addon_uses_the_endpoint_url_and_passes_its_project_number(synth_variant: Variant) -> None:
    template = synth_variant({"chatAudience": "123456789012", "addOnProjectNumber": "987654321"})
    environment = function_environment(template)
    assert environment["CHAT_AUDIENCE"] == endpoint_join(template)
    assert environment["ADDON_PROJECT_NUMBER"] == "987654321"


def test_command_line_strings_are_accepted(synth_variant: Variant) -> None:
    """``cdk -c key=value`` delivers strings; they must synthesize like their JSON values."""
    template = synth_variant(
        {
            "slashCommands": '{"7": "/status"}',
            "apiThrottleRateLimit": "5",
            "apiThrottleBurstLimit": "10",
            "logRetentionDays": "30",
            "tableDeletionProtection": "false",
        }
    )
    assert function_environment(template)["SLASH_COMMANDS"] == '{"7":"status"}'
    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"DefaultRouteSettings": {"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 10}},
    )
    template.all_resources_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})
    template.has_resource_properties("AWS::DynamoDB::Table", {"DeletionProtectionEnabled": False})


def test_environment_is_accepted_by_the_function_settings(stack_template: Template) -> None:
    """The handler's own parser takes the stack's variables once CloudFormation resolves them."""
    resolved = {
        **function_environment(stack_template),
        "SUBSCRIPTIONS_TABLE": "AlarmChatBot-Table-ABC",
        "CHAT_ENDPOINT_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/chat",
    }
    settings = Settings.from_env(resolved)
    assert settings.slash_commands == DEFAULT_COMMANDS
    assert settings.audience_is_project_number
    assert all(not key.endswith("CERTS_URL") for key in resolved)


def test_functions_log_to_their_own_retained_log_groups(stack_template: Template) -> None:
    stack_template.resource_count_is("Custom::LogRetention", 0)
    stack_template.resource_count_is("AWS::Logs::LogGroup", 4)  # three functions, API access logs
    stack_template.all_resources_properties("AWS::Logs::LogGroup", {"RetentionInDays": 90})
    log_groups = {
        function(stack_template, handler)[1]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        for handler in (CHAT_HANDLER, FANOUT_HANDLER, CHART_HANDLER)
    }
    assert len(log_groups) == 3
    assert log_groups <= set(stack_template.find_resources("AWS::Logs::LogGroup"))


def test_role_has_only_scoped_inline_policies(stack_template: Template) -> None:
    table_arn = {"Fn::GetAtt": [only(stack_template, "AWS::DynamoDB::Table")[0], "Arn"]}
    statements = role_statements(stack_template, HANDLER)
    table_statements = [s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert table_statements == [
        {
            "Action": [
                "dynamodb:BatchWriteItem",
                "dynamodb:DeleteItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
            ],
            "Effect": "Allow",
            "Resource": table_arn,
        }
    ]
    assert not [s for s in statements if "secretsmanager:GetSecretValue" in s["Action"]]
    for statement in statements:
        if statement["Resource"] == "*":
            allowed = [
                a for a in actions(statement) if a.startswith("xray:") or a == "cloudwatch:DescribeAlarms"
            ]
            assert allowed == actions(statement), statement


def test_status_may_list_alarms_and_nothing_more_of_cloudwatch(stack_template: Template) -> None:
    """DescribeAlarms has no resource-level permissions: '*' is the only resource it accepts."""
    statements = role_statements(stack_template, HANDLER)
    cloudwatch = [s for s in statements if any(a.startswith("cloudwatch:") for a in actions(s))]
    assert cloudwatch == [{"Action": "cloudwatch:DescribeAlarms", "Effect": "Allow", "Resource": "*"}]


def test_table_expires_stored_alarm_cards(stack_template: Template) -> None:
    stack_template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {"TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True}},
    )


def test_http_api_has_post_chat_and_the_chart_route(stack_template: Template) -> None:
    """``POST /chat`` for Google Chat; ``GET /charts/{file}`` is the chart images' (test_stack_charts)."""
    live = alias_ref(stack_template, HANDLER)
    routes = stack_template.find_resources("AWS::ApiGatewayV2::Route")
    assert sorted(route["Properties"]["RouteKey"] for route in routes.values()) == [
        "GET /charts/{file}",
        "POST /chat",
    ]
    stack_template.has_resource_properties(
        "AWS::ApiGatewayV2::Route", {"RouteKey": "POST /chat", "AuthorizationType": "NONE"}
    )
    stack_template.resource_count_is("AWS::ApiGatewayV2::Integration", 2)
    stack_template.has_resource_properties(
        "AWS::ApiGatewayV2::Integration",
        {
            "IntegrationType": "AWS_PROXY",
            "PayloadFormatVersion": "2.0",
            "IntegrationUri": live,
        },
    )
    stack_template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "FunctionName": live,
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": Match.any_value(),
        },
    )


def test_stage_is_throttled_and_logs_json(stack_template: Template) -> None:
    stack_template.resource_count_is("AWS::ApiGatewayV2::Stage", 1)
    stage = only(stack_template, "AWS::ApiGatewayV2::Stage")[1]["Properties"]
    assert stage["StageName"] == "$default"
    assert stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"] == {"ThrottlingRateLimit": 20, "ThrottlingBurstLimit": 40}
    destination = stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"]
    assert destination[1] == "Arn"
    assert destination[0] in stack_template.find_resources("AWS::Logs::LogGroup")
    log_format = json.loads(stage["AccessLogSettings"]["Format"])
    assert log_format["requestId"] == "$context.requestId"
    assert log_format["routeKey"] == "$context.routeKey"


def test_outputs(stack_template: Template) -> None:
    stack_template.has_output(
        "ChatEndpointUrl",
        {
            "Value": endpoint_join(stack_template),
            "Description": Match.string_like_regexp("Google Chat API > Configuration > HTTP endpoint URL"),
        },
    )
    table_id = only(stack_template, "AWS::DynamoDB::Table")[0]
    stack_template.has_output("SubscriptionsTableName", {"Value": {"Ref": table_id}})


def test_every_output_the_cli_reads_is_there_with_a_description(synth_variant: Variant) -> None:
    """The output names are the operator CLI's contract; each one also tells a person what it is."""
    from alarm_bot_cli.doctor_charts import CHARTS_BUCKET
    from alarm_bot_cli.doctor_checks import CHAT_AUDIENCE
    from alarm_bot_cli.stack import DELIVERY_QUEUE_URL, FANOUT_ALIAS, REQUIRED_OUTPUTS
    from chatbot_stack.deployed_bus import BUS_ARN_OUTPUT as BUS_ARN_READ_BY_MAKE

    bus = {BUS_ARN_READ_BY_MAKE, "AlarmEventBusName"}  # for the forwarders (make deploy-forwarder)
    variants = (
        (synth_variant({}), {CHARTS_BUCKET}),
        (synth_variant(ALL_FEATURES), {CHARTS_BUCKET, "OpsTopicArn"}),
        (synth_variant({"charts": False}), set()),
    )
    for template, optional in variants:
        outputs = template.find_outputs("*")
        expected = {*REQUIRED_OUTPUTS, FANOUT_ALIAS, DELIVERY_QUEUE_URL, CHAT_AUDIENCE, *bus, *optional}
        assert set(outputs) == expected
        assert all(len(output["Description"]) > 20 for output in outputs.values())


def test_resources_use_generated_names(stack_template: Template) -> None:
    """No fixed physical names, so two copies of the stack (dev, prod) fit in one account."""
    for resource in stack_template.find_resources(FUNCTION).values():
        assert "FunctionName" not in resource["Properties"]
    for resource_type, name in [
        ("AWS::DynamoDB::Table", "TableName"),
        ("AWS::SNS::Topic", "TopicName"),
        ("AWS::SQS::Queue", "QueueName"),
        ("AWS::SecretsManager::Secret", "Name"),
    ]:
        for resource in stack_template.find_resources(resource_type).values():
            assert name not in resource["Properties"], resource_type
    assert only(stack_template, "AWS::ApiGatewayV2::Api")[1]["Properties"]["Name"] == "AlarmChatBot-chat"
