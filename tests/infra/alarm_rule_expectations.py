"""What every alarm rule the stacks synthesize must take: each CloudWatch alarm state change, enabled.

The bot's own rules and the forwarder's all start from CloudWatch's event, so the tests of each rule
check the same pattern; a rule that narrows it (by alarm name prefix) adds its ``detail``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

EVERY_ALARM_STATE_CHANGE: Final = {
    "source": ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
}


def assert_rule_takes_every_alarm_state_change(rule_properties: Mapping[str, Any]) -> None:
    """The rule is on and matches exactly CloudWatch's alarm state changes (the values shown on failure:
    pytest does not rewrite asserts outside test modules)."""
    pattern = rule_properties["EventPattern"]
    assert pattern == EVERY_ALARM_STATE_CHANGE, pattern
    assert rule_properties["State"] == "ENABLED", rule_properties["State"]
