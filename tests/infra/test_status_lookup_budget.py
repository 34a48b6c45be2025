"""The ``status`` lookup's budget fits in the Chat function's timeout, which only the stack sets."""

from __future__ import annotations

import inspect

from alarm_bot.alarms.firing import DEFAULT_LIMITS
from alarm_bot.chat.verify import CertCache
from tests.infra.template_queries import CHAT_HANDLER, Variant, function


def test_the_firing_lookup_leaves_the_chat_function_time_to_answer(synth_variant: Variant) -> None:
    timeout = function(synth_variant({}), CHAT_HANDLER)[1]["Properties"]["Timeout"]
    # Before the lookup the token check may wait for Google's certificates; after it, the reply.
    certificates = inspect.signature(CertCache).parameters["fetch_timeout"].default
    assert certificates + DEFAULT_LIMITS.budget + DEFAULT_LIMITS.reserve <= timeout
    assert DEFAULT_LIMITS.per_call <= DEFAULT_LIMITS.budget  # at least the first page is asked for
