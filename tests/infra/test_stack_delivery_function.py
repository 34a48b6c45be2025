"""The alarm delivery: function, delivery queue and its event source, permissions, failure handling,
secret, optional EventBridge rule."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from alarm_bot.settings import DeliverySettings
from tests.infra.template_queries import (
    ALL_FEATURES,
    FANOUT_HANDLER,
    RESOLVED_DELIVERY_ENV,
    Variant,
    actions,
    alarm_state_rule,
    alias_ref,
    any_alarm_arn,
    arn,
    dead_letter_queue,
    delivery_queue,
    environment,
    function,
    only,
    pattern_rules,
    queue_arn,
    queue_ref,
    ref,
    role_statements,
)

SECRET = "AWS::SecretsManager::Secret"
QUEUE = "AWS::SQS::Queue"


def endpoint_join(template: Template) -> dict[str, Any]:
    api_id = only(template, "AWS::ApiGatewayV2::Api")[0]
    return {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "ApiEndpoint"]}, "/chat"]]}


def charts_join(template: Template) -> dict[str, Any]:
    api_id = only(template, "AWS::ApiGatewayV2::Api")[0]
    return {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "ApiEndpoint"]}, "/charts"]]}


def fanout_arn(template: Template) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [function(template, FANOUT_HANDLER)[0], "Arn"]}


def fanout_live(template: Template) -> dict[str, str]:
    return alias_ref(template, FANOUT_HANDLER)


def alarm_topic_ref(template: Template) -> dict[str, str]:
    topics = template.find_resources(
        "AWS::SNS::Topic", {"Properties": {"DisplayName": "CloudWatch alarms to Google Chat"}}
    )
    return {"Ref": next(iter(topics))}


def test_function_runtime_and_limits(stack_template: Template) -> None:
    properties = function(stack_template, FANOUT_HANDLER)[1]["Properties"]
    assert properties["Runtime"] == "python3.14"
    assert properties["Architectures"] == ["arm64"]
    assert properties["MemorySize"] == 512
    assert properties["Timeout"] == 90
    assert properties["TracingConfig"] == {"Mode": "Active"}
    chat_code = function(stack_template, "alarm_bot.handlers.chat_events.handler")[1]["Properties"]["Code"]
    assert properties["Code"] == chat_code  # one shared asset


def test_environment(stack_template: Template) -> None:
    assert environment(stack_template, FANOUT_HANDLER) == {
        "SUBSCRIPTIONS_TABLE": ref(stack_template, "AWS::DynamoDB::Table"),
        "BOT_ID": "alarm-chat-bot",
        "GOOGLE_CREDENTIALS_SECRET_ARN": ref(stack_template, SECRET),
        "LOCALE": "en",
        "TIME_ZONE": "UTC",
        "DELIVERY_CONCURRENCY": "16",
        "POWERTOOLS_SERVICE_NAME": "alarm-chat-bot",
        "POWERTOOLS_METRICS_NAMESPACE": "AlarmChatBot",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "CHAT_ENDPOINT_URL": endpoint_join(stack_template),
        "DELIVERY_QUEUE_URL": queue_ref(delivery_queue(stack_template)),
        "DEAD_LETTER_QUEUE_URL": queue_ref(dead_letter_queue(stack_template)),
        "SPACE_WRITES_PER_MINUTE": "50",
        "PROJECT_WRITES_PER_MINUTE": "2700",
        "GROUP_WINDOW_SECONDS": "30",
        "GROUP_INTERVAL_SECONDS": "60",
        "CHARTS_BUCKET": ref(stack_template, "AWS::S3::Bucket"),
        "CHARTS_URL": charts_join(stack_template),
        "CHART_HOURS": "3",
        "CHART_BUDGET_SECONDS": "3",
    }


def test_an_add_on_tells_the_fan_out_so_its_buttons_name_the_endpoint(synth_variant: Variant) -> None:
    template = synth_variant({"addOnProjectNumber": "987654321"})
    variables = environment(template, FANOUT_HANDLER)
    assert variables["ADDON_PROJECT_NUMBER"] == "987654321"
    assert variables["CHAT_ENDPOINT_URL"] == endpoint_join(template)
    settings = DeliverySettings.from_env({**variables, **RESOLVED_DELIVERY_ENV})
    assert settings.add_on and settings.chat_endpoint_url == RESOLVED_DELIVERY_ENV["CHAT_ENDPOINT_URL"]


def test_environment_is_accepted_by_the_delivery_settings(stack_template: Template) -> None:
    resolved = {**environment(stack_template, FANOUT_HANDLER), **RESOLVED_DELIVERY_ENV}
    settings = DeliverySettings.from_env(resolved)
    assert settings.max_workers == 16
    assert not settings.add_on  # a classic Chat app: buttons name their action
    assert settings.chat_api_base_url == "https://chat.googleapis.com"  # CHAT_API_BASE_URL is for tests
    assert (settings.space_writes_per_minute, settings.project_writes_per_minute) == (50, 2700)
    assert (settings.group_window_seconds, settings.group_interval_seconds) == (30, 60)
    assert settings.time_scale == 1.0  # DELIVERY_TIME_SCALE is for the storm benchmark


def test_storm_settings_reach_the_function_and_the_event_source(synth_variant: Variant) -> None:
    template = synth_variant(
        {
            "spaceWritesPerMinute": 40,
            "projectWritesPerMinute": "2000",
            "groupWindowSeconds": 0,
            "groupIntervalSeconds": "120",
            "fanoutMaxConcurrency": 3,
        }
    )
    variables = environment(template, FANOUT_HANDLER)
    settings = DeliverySettings.from_env({**variables, **RESOLVED_DELIVERY_ENV})
    assert (settings.space_writes_per_minute, settings.project_writes_per_minute) == (40, 2000)
    assert (settings.group_window_seconds, settings.group_interval_seconds) == (0, 120)
    (mapping,) = template.find_resources("AWS::Lambda::EventSourceMapping").values()
    assert mapping["Properties"]["ScalingConfig"] == {"MaximumConcurrency": 3}


def test_context_reaches_the_function(synth_variant: Variant) -> None:
    template = synth_variant(
        {"fanoutTimeoutSeconds": "300", "deliveryConcurrency": 4, "locale": "ko", "timeZone": "Asia/Seoul"}
    )
    assert function(template, FANOUT_HANDLER)[1]["Properties"]["Timeout"] == 300
    variables = environment(template, FANOUT_HANDLER)
    assert (variables["DELIVERY_CONCURRENCY"], variables["LOCALE"], variables["TIME_ZONE"]) == (
        "4",
        "ko",
        "Asia/Seoul",
    )


def test_role_is_scoped_to_the_table_secret_and_queue(stack_template: Template) -> None:
    statements = role_statements(stack_template, FANOUT_HANDLER)
    by_service: dict[str, list[object]] = {}
    for statement in statements:
        assert statement["Effect"] == "Allow"
        for action in actions(statement):
            by_service.setdefault(action.split(":")[0], []).append(statement["Resource"])
    table_arn = arn(stack_template, "AWS::DynamoDB::Table")
    assert by_service["dynamodb"] == [table_arn] * 7
    table_actions = {a for s in statements for a in actions(s) if a.startswith("dynamodb:")}
    assert "dynamodb:BatchGetItem" in table_actions  # one read for every space's card of an alarm
    assert "dynamodb:Scan" not in table_actions
    assert by_service["secretsmanager"] == [ref(stack_template, SECRET)]
    assert [a for s in statements for a in actions(s) if a.startswith("secretsmanager:")] == [
        "secretsmanager:GetSecretValue"
    ]
    delivery, dead = queue_arn(delivery_queue(stack_template)), queue_arn(dead_letter_queue(stack_template))
    both = str(sorted([delivery, dead], key=str))

    def named(resource: object) -> str:
        return str(sorted(resource, key=str)) if isinstance(resource, list) else str(resource)

    assert {named(resource) for resource in by_service["sqs"]} == {str(delivery), str(dead), both}
    sqs_actions = {(a, named(s["Resource"])) for s in statements for a in actions(s) if a.startswith("sqs:")}
    assert ("sqs:SendMessage", str(dead)) in sqs_actions  # the on-failure destination
    assert ("sqs:SendMessage", both) in sqs_actions  # direct events, flushes, refused notifications
    consumed = {a for a, resource in sqs_actions if resource == str(delivery)}
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"} <= consumed
    assert by_service["xray"] == ["*", "*"]
    logs_group = function(stack_template, FANOUT_HANDLER)[1]["Properties"]["LoggingConfig"]["LogGroup"]
    assert by_service["logs"] == [{"Fn::GetAtt": [logs_group["Ref"], "Arn"]}] * 2
    # Charts (test_stack_charts has the details): draw with CloudWatch, write under charts/ only.
    assert by_service["cloudwatch"] == ["*"]
    bucket_arn = arn(stack_template, "AWS::S3::Bucket")
    assert by_service["s3"] == [{"Fn::Join": ["", [bucket_arn, "/charts/*"]]}]
    assert set(by_service) == {"dynamodb", "secretsmanager", "sqs", "xray", "logs", "cloudwatch", "s3"}


def test_failed_invocations_go_to_the_dead_letter_queue(stack_template: Template) -> None:
    """For the alias every trigger names, and for the bare name older alarm actions may still use."""
    function_id = function(stack_template, FANOUT_HANDLER)[0]
    configs = stack_template.find_resources("AWS::Lambda::EventInvokeConfig")
    qualifiers = []
    for config in configs.values():
        properties = config["Properties"]
        assert properties["FunctionName"] == {"Ref": function_id}
        assert properties["MaximumRetryAttempts"] == 2
        assert properties["MaximumEventAgeInSeconds"] == 6 * 3600
        dead = queue_arn(dead_letter_queue(stack_template))
        assert properties["DestinationConfig"] == {"OnFailure": {"Destination": dead}}
        qualifiers.append(properties["Qualifier"])
    # The alias's qualifier is its name, cut out of its ARN: arn:aws:lambda:region:account:function:name:live
    live_name = {"Fn::Select": [7, {"Fn::Split": [":", fanout_live(stack_template)]}]}
    assert sorted(qualifiers, key=str) == sorted(["$LATEST", live_name], key=str)


@pytest.mark.parametrize("which", ["delivery", "dead letters"])
def test_queues_are_encrypted_kept_14_days_and_https_only(stack_template: Template, which: str) -> None:
    stack_template.resource_count_is(QUEUE, 2)
    found = delivery_queue(stack_template) if which == "delivery" else dead_letter_queue(stack_template)
    properties = found[1]["Properties"]
    assert properties["MessageRetentionPeriod"] == 1209600
    assert properties.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in properties
    policies = stack_template.find_resources("AWS::SQS::QueuePolicy")
    denials = [
        statement
        for policy in policies.values()
        if queue_ref(found) in policy["Properties"]["Queues"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Deny"
        and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert denials
    output = "DeliveryQueueUrl" if which == "delivery" else "DeadLetterQueueUrl"
    stack_template.has_output(output, {"Value": queue_ref(found)})


def test_the_delivery_queue_dead_letters_after_eight_receives_and_outlasts_a_batch(
    stack_template: Template,
) -> None:
    properties = delivery_queue(stack_template)[1]["Properties"]
    assert properties["RedrivePolicy"] == {
        "deadLetterTargetArn": queue_arn(dead_letter_queue(stack_template)),
        "maxReceiveCount": 8,
    }
    assert properties["VisibilityTimeout"] == 6 * 90  # six times the function timeout


def test_the_live_alias_consumes_the_delivery_queue_in_bounded_batches(stack_template: Template) -> None:
    (mapping,) = stack_template.find_resources("AWS::Lambda::EventSourceMapping").values()
    properties = mapping["Properties"]
    # The alias's qualified name: <function name>:live, cut out of the alias ARN.
    name = {"Fn::Select": [6, {"Fn::Split": [":", fanout_live(stack_template)]}]}
    assert properties["FunctionName"] == {"Fn::Join": ["", [name, ":live"]]}
    assert properties["EventSourceArn"] == queue_arn(delivery_queue(stack_template))
    assert properties["BatchSize"] == 10
    assert "MaximumBatchingWindowInSeconds" not in properties  # a lone alarm is not held back
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["ScalingConfig"] == {"MaximumConcurrency": 5}


def test_topic_delivers_to_the_delivery_queue_with_a_redrive_policy(stack_template: Template) -> None:
    topic = alarm_topic_ref(stack_template)
    delivery = delivery_queue(stack_template)
    (subscription,) = stack_template.find_resources("AWS::SNS::Subscription").values()
    assert subscription["Properties"] == {
        "Protocol": "sqs",
        "TopicArn": topic,
        "Endpoint": queue_arn(delivery),
        "RedrivePolicy": {"deadLetterTargetArn": queue_arn(dead_letter_queue(stack_template))},
    }  # not raw: the SNS envelope keeps the MessageId, Subject and Timestamp
    stack_template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [queue_ref(delivery)],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "sqs:SendMessage",
                                "Principal": {"Service": "sns.amazonaws.com"},
                                "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
                            }
                        )
                    ]
                )
            },
        },
    )
    assert not stack_template.find_resources(
        "AWS::Lambda::Permission", {"Properties": {"Principal": "sns.amazonaws.com"}}
    ), "nothing invokes the function from SNS any more"


@pytest.mark.parametrize("target", ["alias", "function"])
def test_alarms_of_this_account_may_invoke_the_fan_out(stack_template: Template, target: str) -> None:
    """The alias is the documented action; the bare function keeps working for older alarm actions."""
    name = fanout_live(stack_template) if target == "alias" else fanout_arn(stack_template)
    stack_template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": name,
            "Principal": "lambda.alarms.cloudwatch.amazonaws.com",
            "SourceAccount": {"Ref": "AWS::AccountId"},
            "SourceArn": any_alarm_arn(),
        },
    )


def test_credentials_secret_is_created_empty_and_retained(stack_template: Template) -> None:
    stack_template.resource_count_is(SECRET, 1)
    stack_template.has_resource(
        SECRET,
        {
            "Properties": {
                "SecretString": Match.absent(),
                "GenerateSecretString": Match.absent(),
                "Description": Match.string_like_regexp(
                    r"^Google service-account key JSON for the Chat app; fill with: alarm-bot credentials "
                    r"set KEY\.json or aws secretsmanager put-secret-value$"
                ),
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )
    stack_template.has_output("GoogleCredentialsSecretArn", {"Value": ref(stack_template, SECRET)})


def test_function_name_and_alias_outputs(stack_template: Template) -> None:
    stack_template.has_output(
        "FanoutFunctionName", {"Value": {"Ref": function(stack_template, FANOUT_HANDLER)[0]}}
    )
    stack_template.has_output("FanoutAliasArn", {"Value": fanout_live(stack_template)})


def test_no_alarm_state_rule_without_prefixes(stack_template: Template) -> None:
    """On the default bus only the keep-warm schedule (test_stack_snapstart.py) is there; the alarm
    bus's rule (test_stack_alarm_bus.py) takes only what forwarders send."""
    rules = stack_template.find_resources("AWS::Events::Rule")
    on_default_bus = [rule for rule in rules.values() if "EventBusName" not in rule["Properties"]]
    assert [rule["Properties"].get("ScheduleExpression") for rule in on_default_bus] == ["rate(6 hours)"]
    assert pattern_rules(stack_template, on_custom_bus=False) == {}


def test_eventbridge_rule_matches_alarm_name_prefixes(synth_variant: Variant) -> None:
    template = synth_variant(ALL_FEATURES)
    rule_id, rule = alarm_state_rule(template)
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        "detail": {"alarmName": [{"prefix": "prod-"}, {"prefix": "api-"}]},
    }
    assert rule["Properties"]["State"] == "ENABLED"
    assert rule["Properties"]["Targets"] == [
        {
            "Id": "Target0",
            "Arn": queue_arn(delivery_queue(template)),
            "DeadLetterConfig": {"Arn": queue_arn(dead_letter_queue(template))},
            "RetryPolicy": {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 6 * 3600},
        }
    ]
    rule_arn = {"Fn::GetAtt": [rule_id, "Arn"]}
    template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "events.amazonaws.com"},
                                "Action": "sqs:SendMessage",
                                "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
                            }
                        )
                    ]
                )
            }
        },
    )


@pytest.mark.parametrize("prefixes", ['["prod-", "api-"]', "prod-, api-,prod-"])
def test_prefixes_from_the_command_line(synth_variant: Variant, prefixes: str) -> None:
    pattern = alarm_state_rule(synth_variant({"alarmNamePrefixes": prefixes}))[1]["Properties"]
    assert pattern["EventPattern"]["detail"] == {"alarmName": [{"prefix": "prod-"}, {"prefix": "api-"}]}
