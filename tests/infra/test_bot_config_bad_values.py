"""Every bad CDK context value stops synth with an error that names its key and says what is wrong.

One table for the keys of tests/infra/test_bot_config.py (the Chat app and the function),
tests/infra/test_bot_config_delivery.py (alarm delivery and the storm budgets),
tests/infra/test_bot_config_accounts.py and tests/infra/test_bot_config_charts.py; each row starts
from the chosen configuration, so that nothing but the bad value can fail.
"""

from __future__ import annotations

import pytest

from chatbot_stack.config import BotConfig
from tests.infra.test_bot_config import CHOSEN


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        # the Chat app and the function
        ("chatAudience", "https://example.com/chat", "project number"),
        ("chatAudience", "12-34", "project number"),
        ("chatAudience", ["1"], "must be a string"),
        ("addOnProjectNumber", "my-project", "project number"),
        ("locale", "fr", "one of en, ko"),
        ("slashCommands", "{not json", "not valid JSON"),
        ("slashCommands", '["help"]', "must be an object"),
        ("slashCommands", {"1": "reboot"}, "unknown command 'reboot'"),
        ("slashCommands", {"one": "help"}, "command id 'one'"),
        ("slashCommands", {"1": 2}, "unknown command 2"),
        ("timeZone", "Mars/Olympus_Mons", "IANA time zone"),
        ("timeZone", "../../etc/passwd", "IANA time zone"),
        ("botId", "", "1-128 letters"),
        ("botId", "has space", "1-128 letters"),
        ("logRetentionDays", 10, "must be one of 1, 3, 5"),
        ("logRetentionDays", "ninety", "must be a number"),
        ("logRetentionDays", 0, "positive number"),
        ("apiThrottleRateLimit", -1, "positive number"),
        ("apiThrottleRateLimit", True, "must be a number"),
        ("apiThrottleBurstLimit", 1.5, "whole number"),
        ("apiThrottleBurstLimit", "nan", "positive number"),
        ("tableDeletionProtection", "yes", "true or false"),
        ("snapStart", "on", "true or false"),
        # alarm delivery
        ("trustedAccountIds", ["12345"], "not a 12-digit AWS account id"),
        ("trustedAccountIds", ["1111-2222-3333"], "not a 12-digit AWS account id"),
        ("trustedAccountIds", "arn:aws:iam::111122223333:root", "not a 12-digit AWS account id"),
        ("trustedAccountIds", '["111122223333"', "not a valid JSON array"),
        ("trustedAccountIds", {"a": "111122223333"}, "must be a list of strings"),
        ("trustedAccountIds", [True], "is not a string"),
        ("alarmNamePrefixes", ["x" * 256], "cannot start an alarm name"),
        ("alarmNamePrefixes", ["bad\nprefix"], "cannot start an alarm name"),
        ("alarmNamePrefixes", [None], "is not a string"),
        ("alarmNamePrefixes", 42, "must be a list of strings"),
        ("opsEmail", "ops", "e-mail address"),
        ("opsEmail", "ops team@example.com", "e-mail address"),
        ("opsEmail", ["ops@example.com"], "must be a string"),
        ("fanoutTimeoutSeconds", 901, "from 1 to 900"),
        ("fanoutTimeoutSeconds", 0, "positive number"),
        ("fanoutTimeoutSeconds", "1.5", "whole number"),
        ("deliveryConcurrency", 65, "from 1 to 64"),
        ("deliveryConcurrency", "many", "must be a number"),
        # the storm budgets
        ("spaceWritesPerMinute", 61, "Google Chat allows 60 writes per space per minute"),
        ("spaceWritesPerMinute", 4, "from 5 to 60"),
        ("projectWritesPerMinute", 3001, "Google Chat allows 3,000 writes per project per minute"),
        ("groupWindowSeconds", -1, "positive number"),
        ("groupWindowSeconds", 901, "from 0 to 900"),
        ("groupIntervalSeconds", 0, "positive number"),
        ("fanoutMaxConcurrency", 1, "from 2 to 1000"),
        ("fanoutMaxConcurrency", "lots", "must be a number"),
        # accounts and organizations
        ("organizationId", "o-short", "AWS Organizations id"),
        ("organizationId", "O-A1B2C3D4E5", "AWS Organizations id"),
        ("organizationId", "r-a1b2c3d4e5", "AWS Organizations id"),
        ("organizationId", "o-" + "a" * 33, "AWS Organizations id"),
        ("organizationId", ["o-a1b2c3d4e5"], "must be a string"),
        ("accountNames", '{"111122223333": "prod"', "not valid JSON"),
        ("accountNames", '["111122223333"]', "must be an object of account id to name"),
        ("accountNames", ["111122223333"], "must be an object of account id to name"),
        ("accountNames", {"1111-2222-3333": "prod"}, "not a 12-digit AWS account id"),
        ("accountNames", {"11112222333": "prod"}, "not a 12-digit AWS account id"),
        ("accountNames", {"111122223333": ""}, "the name of 111122223333 must be a string of 1-64"),
        ("accountNames", {"111122223333": "  "}, "1-64 characters"),
        ("accountNames", {"111122223333": "x" * 65}, "1-64 characters"),
        ("accountNames", {"111122223333": "prod\nline"}, "without control characters"),
        ("accountNames", {"111122223333": "prod\x07"}, "without control characters"),
        ("accountNames", {"111122223333": 7}, "must be a string"),
        ("accountNames", {"111122223333": None}, "must be a string"),
        # charts
        ("charts", "yes", "must be true or false"),
        ("charts", 1, "must be true or false"),
        ("chartHours", 0, "positive number"),
        ("chartHours", 25, "from 1 to 24 (what a chart can show)"),
        ("chartHours", "1.5", "whole number"),
        ("chartHours", "all day", "must be a number"),
        ("chartBudgetSeconds", 0.4, "from 0.5 to 10 (a chart may delay a card a few seconds"),
        ("chartBudgetSeconds", "11", "from 0.5 to 10"),
        ("chartBudgetSeconds", 0, "positive number"),
        ("chartBudgetSeconds", "nan", "positive number"),
        ("chartBudgetSeconds", True, "must be a number"),
    ],
)
def test_a_bad_context_value_stops_synth_naming_its_key(key: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"context key '{key}'") as error:
        BotConfig.from_mapping({**CHOSEN, key: value})
    assert message in str(error.value)
    assert "\n" not in str(error.value)  # one line in the synth output
