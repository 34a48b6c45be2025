"""Chart images: the private bucket, ``GET /charts/{file}`` and its function, the fan-out's share,
and ``charts=false`` leaving all of it out."""

from __future__ import annotations

import inspect
from typing import Any

from aws_cdk.assertions import Template

from alarm_bot.settings import DeliverySettings
from tests.infra.template_queries import (
    CHART_HANDLER,
    CHAT_HANDLER,
    FANOUT_HANDLER,
    FUNCTION,
    RESOLVED_DELIVERY_ENV,
    Variant,
    actions,
    alias_ref,
    arn,
    environment,
    function,
    only,
    ref,
    role_statements,
)

BUCKET = "AWS::S3::Bucket"
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def bucket(template: Template) -> dict[str, Any]:
    found: dict[str, Any] = only(template, BUCKET)[1]
    return found


def charts_objects(template: Template) -> dict[str, Any]:
    return {"Fn::Join": ["", [arn(template, BUCKET), "/charts/*"]]}


def charts_url(template: Template) -> dict[str, Any]:
    api_id = only(template, "AWS::ApiGatewayV2::Api")[0]
    return {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "ApiEndpoint"]}, "/charts"]]}


def chart_route(template: Template) -> dict[str, Any]:
    routes = template.find_resources(
        "AWS::ApiGatewayV2::Route", {"Properties": {"RouteKey": "GET /charts/{file}"}}
    )
    assert len(routes) == 1, routes
    return next(iter(routes.values()))


def test_bucket_is_private_encrypted_and_unversioned(stack_template: Template) -> None:
    properties = bucket(stack_template)["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == BLOCK_ALL
    assert properties["OwnershipControls"] == {
        "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]
    }  # no ACLs
    assert properties["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
    assert "VersioningConfiguration" not in properties, "an expired chart must be gone, not kept as a version"
    assert "BucketName" not in properties, "a generated name: a retained bucket never blocks a new stack"
    assert not {"WebsiteConfiguration", "CorsConfiguration", "LoggingConfiguration"} & set(properties)


def test_charts_expire_after_the_life_of_a_card(stack_template: Template) -> None:
    assert bucket(stack_template)["Properties"]["LifecycleConfiguration"] == {
        "Rules": [{"Id": "ExpireCharts", "Prefix": "charts/", "ExpirationInDays": 30, "Status": "Enabled"}]
    }


def test_bucket_is_kept_when_the_stack_goes_and_needs_no_custom_resource(stack_template: Template) -> None:
    """CloudFormation cannot delete a bucket with objects; emptying it would take CDK's Lambda."""
    found = bucket(stack_template)
    assert (found["DeletionPolicy"], found["UpdateReplacePolicy"]) == ("RetainExceptOnCreate", "Retain")
    assert not stack_template.find_resources("Custom::S3AutoDeleteObjects")
    assert not stack_template.find_resources("AWS::CloudFormation::CustomResource")
    stack_template.resource_count_is(FUNCTION, 3)  # Chat, fan-out, chart images: no provider function


def test_bucket_policy_only_refuses_insecure_requests(stack_template: Template) -> None:
    """It allows nobody anything (the roles' policies do): it only denies plain HTTP and old TLS."""
    policy = only(stack_template, "AWS::S3::BucketPolicy")[1]["Properties"]
    assert policy["Bucket"] == ref(stack_template, BUCKET)
    everything = [arn(stack_template, BUCKET), {"Fn::Join": ["", [arn(stack_template, BUCKET), "/*"]]}]
    assert policy["PolicyDocument"]["Statement"] == [
        {
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": everything,
        },
        {
            "Action": "s3:*",
            "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": everything,
        },
    ]


def test_the_route_is_public_and_invokes_the_chart_alias(stack_template: Template) -> None:
    route = chart_route(stack_template)["Properties"]
    assert route["AuthorizationType"] == "NONE"  # Google fetches images without credentials
    assert "AuthorizerId" not in route
    integration_id = route["Target"]["Fn::Join"][1][1]["Ref"]
    integration = stack_template.find_resources("AWS::ApiGatewayV2::Integration")[integration_id][
        "Properties"
    ]
    live = alias_ref(stack_template, CHART_HANDLER)
    assert integration == {
        "ApiId": ref(stack_template, "AWS::ApiGatewayV2::Api"),
        "IntegrationType": "AWS_PROXY",
        "IntegrationUri": live,
        "PayloadFormatVersion": "2.0",
    }
    permissions = [
        p["Properties"]
        for p in stack_template.find_resources("AWS::Lambda::Permission").values()
        if p["Properties"]["FunctionName"] == live
    ]
    assert len(permissions) == 1, "only API Gateway invokes it: no keep-warm, no other caller"
    (permission,) = permissions
    assert permission["Principal"] == "apigateway.amazonaws.com"
    assert permission["SourceArn"]["Fn::Join"][1][-1] == "/*/*/charts/{file}"  # this route only


def test_the_stage_throttles_the_chart_route_like_the_chat_route(stack_template: Template) -> None:
    """HTTP APIs apply the default route settings to each route that has none of its own."""
    stage = only(stack_template, "AWS::ApiGatewayV2::Stage")[1]["Properties"]
    assert stage["DefaultRouteSettings"] == {"ThrottlingRateLimit": 20, "ThrottlingBurstLimit": 40}
    assert "RouteSettings" not in stage


def test_the_chart_function(stack_template: Template) -> None:
    properties = function(stack_template, CHART_HANDLER)[1]["Properties"]
    chat = function(stack_template, CHAT_HANDLER)[1]["Properties"]
    assert properties["Code"] == chat["Code"]  # the one shared asset
    assert (properties["Runtime"], properties["Architectures"]) == (chat["Runtime"], chat["Architectures"])
    assert (properties["MemorySize"], properties["Timeout"]) == (256, 8)
    assert properties["TracingConfig"] == {"Mode": "Active"}
    assert "SnapStart" not in properties  # see test_stack_snapstart
    assert environment(stack_template, CHART_HANDLER) == {
        "CHARTS_BUCKET": ref(stack_template, BUCKET),
        "POWERTOOLS_SERVICE_NAME": "alarm-chat-bot",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }
    log_group = properties["LoggingConfig"]["LogGroup"]["Ref"]
    assert stack_template.find_resources("AWS::Logs::LogGroup")[log_group]["Properties"] == {
        "RetentionInDays": 90
    }


def test_the_timeout_lets_the_handler_answer_503_itself() -> None:
    """Two attempts of connect + read, and a backoff of up to a second, fit in the timeout."""
    from alarm_bot.charts.storage import s3_client
    from chatbot_stack.charts import TIMEOUT

    defaults = {name: p.default for name, p in inspect.signature(s3_client).parameters.items()}
    worst = defaults["attempts"] * (defaults["connect"] + defaults["read"]) + 1
    assert worst <= TIMEOUT.to_seconds() <= 10


def test_the_chart_function_reads_charts_and_nothing_else(stack_template: Template) -> None:
    log_group = function(stack_template, CHART_HANDLER)[1]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    assert role_statements(stack_template, CHART_HANDLER) == [
        {
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [log_group, "Arn"]},
        },
        {"Action": "s3:GetObject", "Effect": "Allow", "Resource": charts_objects(stack_template)},
        # Only so that S3 answers NoSuchKey (404) for an expired chart instead of AccessDenied.
        {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": arn(stack_template, BUCKET)},
        {"Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "Effect": "Allow", "Resource": "*"},
    ]


def test_the_fan_out_may_draw_charts_and_write_them_only(stack_template: Template) -> None:
    """GetMetricWidgetImage has no resource-level permissions; PutObject is for charts/ alone."""
    statements = role_statements(stack_template, FANOUT_HANDLER)
    chart_statements = [
        s for s in statements if any(a.startswith(("s3:", "cloudwatch:")) for a in actions(s))
    ]
    assert chart_statements == [
        {"Action": "cloudwatch:GetMetricWidgetImage", "Effect": "Allow", "Resource": "*"},
        {"Action": "s3:PutObject", "Effect": "Allow", "Resource": charts_objects(stack_template)},
    ]
    (policy,) = [
        p["Properties"]
        for key, p in stack_template.find_resources("AWS::IAM::Policy").items()
        if "RenderCharts" in key
    ]
    assert policy["PolicyDocument"]["Statement"] == chart_statements  # a policy of their own
    assert not [s for s in role_statements(stack_template, CHAT_HANDLER) if "s3:" in str(s["Action"])]


def test_the_fan_out_environment_carries_the_chart_contract(stack_template: Template) -> None:
    variables = environment(stack_template, FANOUT_HANDLER)
    assert {key: value for key, value in variables.items() if "CHART" in key} == {
        "CHARTS_BUCKET": ref(stack_template, BUCKET),
        "CHARTS_URL": charts_url(stack_template),  # the API's own URL, no trailing slash
        "CHART_HOURS": "3",
        "CHART_BUDGET_SECONDS": "3",
    }


def test_chart_context_reaches_the_fan_out_and_its_settings_accept_it(synth_variant: Variant) -> None:
    template = synth_variant({"chartHours": "12", "chartBudgetSeconds": 2.5})
    variables = environment(template, FANOUT_HANDLER)
    assert (variables["CHART_HOURS"], variables["CHART_BUDGET_SECONDS"]) == ("12", "2.5")
    charts = DeliverySettings.from_env({**variables, **RESOLVED_DELIVERY_ENV}).charts
    assert charts is not None
    assert (charts.bucket, charts.hours, charts.budget_seconds) == (
        "alarmchatbot-botchartsbucket-abc",
        12,
        2.5,
    )


def test_the_bucket_name_is_an_output(stack_template: Template) -> None:
    from alarm_bot_cli.doctor_charts import CHARTS_BUCKET
    from chatbot_stack.stack import CHARTS_BUCKET_OUTPUT

    assert CHARTS_BUCKET_OUTPUT == CHARTS_BUCKET
    output = stack_template.find_outputs(CHARTS_BUCKET_OUTPUT)[CHARTS_BUCKET_OUTPUT]
    assert output["Value"] == ref(stack_template, BUCKET)
    assert "alarm-bot doctor" in output["Description"]


def test_charts_off_leaves_all_of_it_out(synth_variant: Variant) -> None:
    template = synth_variant({"charts": False})
    for resource_type in (BUCKET, "AWS::S3::BucketPolicy"):
        template.resource_count_is(resource_type, 0)
    template.resource_count_is(FUNCTION, 2)
    routes = template.find_resources("AWS::ApiGatewayV2::Route")
    assert [route["Properties"]["RouteKey"] for route in routes.values()] == ["POST /chat"]
    assert not [key for key in environment(template, FANOUT_HANDLER) if "CHART" in key]
    granted = {a for s in role_statements(template, FANOUT_HANDLER) for a in actions(s)}
    assert not {a for a in granted if a.startswith("s3:") or a == "cloudwatch:GetMetricWidgetImage"}
    assert not [key for key in template.find_resources("AWS::IAM::Policy") if "RenderCharts" in key]
    assert "ChartsBucketName" not in template.find_outputs("*")


def test_the_bucket_and_the_route_fit_the_runtimes_charts(stack_template: Template) -> None:
    """Where the runtime writes a chart, the bucket expires it; what it links, the route serves."""
    from alarm_bot.charts import ids
    from alarm_bot.handlers import chart_images
    from alarm_bot.settings import CHART_ROUTE
    from chatbot_stack import charts

    chart_id = ids.new_chart_id()
    (rule,) = only(stack_template, BUCKET)[1]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert ids.chart_key(chart_id).startswith(rule["Prefix"])
    (read,) = [s for s in role_statements(stack_template, CHART_HANDLER) if s["Action"] == "s3:GetObject"]
    assert read["Resource"]["Fn::Join"][1][-1] == f"/{rule['Prefix']}*"
    assert charts.HANDLER == CHART_HANDLER
    route_key = chart_route(stack_template)["Properties"]["RouteKey"]
    assert route_key == f"GET {CHART_ROUTE}/{{file}}"
    assert route_key.removeprefix("GET ").startswith(chart_images.ROUTE_PREFIX)
    assert ids.chart_path(chart_id).startswith(CHART_ROUTE + "/")


def test_charts_are_kept_as_long_as_the_cards_that_show_them() -> None:
    from alarm_bot.store.alarm_messages import TTL_SECONDS
    from chatbot_stack.charts import LIFETIME

    assert LIFETIME.to_seconds() == TTL_SECONDS
