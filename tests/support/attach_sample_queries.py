"""The metric queries of the sample alarms ``attach`` / ``detach`` are tested on, in one place.

The moto round trip (tests/cli/test_cli_attach.py) puts them; the field-by-field requests
(tests/cli/test_cli_alarm_requests.py) read them back as DescribeAlarms entries. Both must mean the
same alarms, so both take the queries from here. They are shaped as DescribeAlarms returns them
(``Dimensions: []`` included); moto drops ``AccountId`` on create, which is why the requests test
checks that field. Each call builds fresh lists: no test can change another's data.
"""

from __future__ import annotations

from typing import Any


def error_rate_queries() -> list[dict[str, Any]]:
    """Metric math: a percentage of two sums, one with a unit and an account, one with its own period."""
    return [
        {"Id": "rate", "Expression": "errors / requests * 100", "Label": "Error %", "ReturnData": True},
        {
            "Id": "errors",
            "MetricStat": {
                "Metric": {
                    "Namespace": "App",
                    "MetricName": "Errors",
                    "Dimensions": [{"Name": "A", "Value": "b"}],
                },
                "Period": 60,
                "Stat": "Sum",
                "Unit": "Count",
            },
            "ReturnData": False,
            "AccountId": "111122223333",
        },
        {
            "Id": "requests",
            "MetricStat": {
                "Metric": {"Namespace": "App", "MetricName": "Requests", "Dimensions": []},
                "Period": 60,
                "Stat": "Sum",
            },
            "ReturnData": False,
            "Period": 60,
        },
    ]


def anomaly_band_queries() -> list[dict[str, Any]]:
    """Anomaly detection: the band (the alarm's ``ThresholdMetricId``) around the orders metric."""
    return [
        {
            "Id": "band",
            "Expression": "ANOMALY_DETECTION_BAND(orders, 2)",
            "Label": "expected",
            "ReturnData": True,
        },
        {
            "Id": "orders",
            "MetricStat": {
                "Metric": {"Namespace": "Shop", "MetricName": "Orders"},
                "Period": 300,
                "Stat": "Average",
            },
            "ReturnData": True,
        },
    ]
