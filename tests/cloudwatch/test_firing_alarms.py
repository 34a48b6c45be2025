"""Alarms in ALARM from CloudWatch (the edge): the real call on moto, and paging with botocore's Stubber.

moto 5.2.5 answers DescribeAlarms with every matching alarm at once: it ignores ``MaxRecords`` and
never returns a ``NextToken`` (checked below), so paging is tested against a stubbed client that
checks the parameters of every page, and the moto test checks that the real call is well-formed and
filters by state.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from alarm_bot.alarms.firing import FiringAlarm, FiringList
from alarm_bot.cloudwatch.firing_alarms import MAX_PAGES, CloudWatchFiring, cloudwatch_client
from tests.support.aws import aws  # noqa: F401 - fixture
from tests.support.filler_metric_alarms import put_filler_metric_alarm

WHEN = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def metric_alarm(cloudwatch: Any, name: str, state: str) -> None:
    put_filler_metric_alarm(cloudwatch, name)
    cloudwatch.set_alarm_state(AlarmName=name, StateValue=state, StateReason="test")


@pytest.mark.usefixtures("aws")
def test_the_real_call_lists_alarms_in_alarm_on_moto() -> None:
    cloudwatch = boto3.client("cloudwatch")
    for index in range(3):
        metric_alarm(cloudwatch, f"prod-api-{index}", "ALARM")
    metric_alarm(cloudwatch, "prod-db", "OK")
    source = CloudWatchFiring(client=cloudwatch)
    listed = source.firing()
    assert listed.complete
    firing = listed.alarms
    assert sorted(alarm.name for alarm in firing) == ["prod-api-0", "prod-api-1", "prod-api-2"]
    assert {alarm.region for alarm in firing} == {"ap-northeast-2"}
    assert all(alarm.since is not None for alarm in firing)
    # Why paging needs the stub: moto hands back everything in one page.
    page = cloudwatch.describe_alarms(StateValue="ALARM", MaxRecords=1)
    assert len(page["MetricAlarms"]) == 3 and "NextToken" not in page


@pytest.mark.usefixtures("aws")
def test_the_client_is_created_on_first_use_only() -> None:
    source = CloudWatchFiring()
    assert source._client_instance is None
    assert source.firing() == FiringList()
    assert source._client_instance is not None


def _metric(name: str, minute: int) -> dict[str, Any]:
    return {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{name}",
        "StateValue": "ALARM",
        "StateUpdatedTimestamp": WHEN.replace(minute=minute % 60),
    }


def test_every_page_of_both_alarm_types_is_read() -> None:
    client = boto3.client(
        "cloudwatch", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    expected = {"StateValue": "ALARM", "AlarmTypes": ["CompositeAlarm", "MetricAlarm"], "MaxRecords": 100}
    first = [_metric(f"m-{index:03d}", index) for index in range(100)]
    composite = {
        "AlarmName": "checkout",
        "AlarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout",
        "StateValue": "ALARM",
        "StateUpdatedTimestamp": WHEN,
    }
    with Stubber(client) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": first, "NextToken": "page-2"}, expected)
        stub.add_response(
            "describe_alarms",
            {"MetricAlarms": [_metric("m-100", 1)], "CompositeAlarms": [composite]},
            {**expected, "NextToken": "page-2"},
        )
        listed = CloudWatchFiring(client=client).firing()
        stub.assert_no_pending_responses()
    firing = listed.alarms
    assert len(firing) == 102 and listed.complete
    assert firing[-1] == FiringAlarm("checkout", "eu-west-1", WHEN.timestamp(), account="123456789012")


def test_a_missing_arn_falls_back_to_the_client_region() -> None:
    client = boto3.client(
        "cloudwatch", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [{"AlarmName": "legacy"}]})
        assert CloudWatchFiring(client=client).firing() == FiringList(
            (FiringAlarm("legacy", "eu-west-1", None),)
        )


def _client() -> Any:
    return cloudwatch_client(region_name="eu-west-1")


def test_the_client_makes_one_attempt_within_the_limits() -> None:
    config = _client().meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.0, 2.0)
    assert config.retries == {"total_max_attempts": 1, "mode": "standard"}


def test_more_pages_than_the_cap_make_a_list_cut_short() -> None:
    client = _client()
    with Stubber(client) as stub:
        for index in range(MAX_PAGES):
            stub.add_response(
                "describe_alarms", {"MetricAlarms": [_metric(f"m-{index}", index)], "NextToken": "more"}
            )
        listed = CloudWatchFiring(client=client).firing()
        stub.assert_no_pending_responses()
    assert len(listed.alarms) == MAX_PAGES
    assert listed.complete is False


def test_a_failed_later_page_keeps_the_pages_read() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [_metric("m-1", 1)], "NextToken": "more"})
        stub.add_client_error("describe_alarms", "Throttling", http_status_code=400)
        listed = CloudWatchFiring(client=client).firing()
    assert [alarm.name for alarm in listed.alarms] == ["m-1"]
    assert listed.complete is False


def test_a_failed_first_page_raises_for_status_to_say_unavailable() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error("describe_alarms", "AccessDenied", http_status_code=403)
        with pytest.raises(ClientError):
            CloudWatchFiring(client=client).firing()
