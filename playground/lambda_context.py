"""The context object Lambda hands a handler, for handlers invoked by the playground.

The handlers read it: Powertools' ``inject_lambda_context`` logs the function's name, memory, ARN
and request id, and the delivery handler stops sending before its time runs out
(``get_remaining_time_in_millis``). Each invocation gets a new one, with its own id and deadline.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from playground.config import ACCOUNT, REGION

ALIAS = "live"  # what the stack's callers invoke (chatbot_stack/function.py)


@dataclass
class LambdaContext:
    """One invocation of ``function_name``, which has ``timeout`` seconds from now."""

    function_name: str
    memory_limit_in_mb: int
    timeout: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "1"
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}:{ALIAS}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"playground/[{self.function_version}]{self.aws_request_id[:8]}"

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self._deadline - time.monotonic()) * 1000), 0)
