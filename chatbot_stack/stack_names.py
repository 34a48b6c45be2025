"""The bot stack's id and the output ``make deploy-forwarder`` reads from it: constants only.

:mod:`chatbot_stack.stack` names its stack and output with them, and :mod:`chatbot_stack.deployed_bus`
reads that output with them; the reader imports boto3 but not the CDK (it must answer in a moment),
so the names live here rather than in the stack's module.
"""

from __future__ import annotations

from typing import Final

STACK_ID: Final = "AlarmChatBot"
BUS_ARN_OUTPUT: Final = "AlarmEventBusArn"
