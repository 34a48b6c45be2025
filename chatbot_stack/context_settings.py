"""Settings read from CDK context through a table of keys: the bot's and the forwarder's alike.

Each settings dataclass names its table (context key → field, parser) in :meth:`context_fields`;
reading the context and parsing it is written once, here, so both stacks take ``cdk.json`` and
``cdk -c key=value`` the same way.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, Protocol, Self

from chatbot_stack import config_values as parse


class ContextSource(Protocol):
    """What :meth:`ContextSettings.from_context` needs: ``constructs.Node`` (``app.node``) has it."""

    def try_get_context(self, key: str) -> Any: ...


class ContextSettings(abc.ABC):
    """Base of a settings dataclass whose every field may come from one context key."""

    @classmethod
    @abc.abstractmethod
    def context_fields(cls) -> Mapping[str, tuple[str, parse.Parser]]:
        """Context key → (field, parser), in the order the keys are checked."""

    @classmethod
    def from_context(cls, node: ContextSource) -> Self:
        """Read every key from CDK context (``cdk.json`` and ``-c``), defaults filling the gaps."""
        return cls.from_mapping({key: node.try_get_context(key) for key in cls.context_fields()})

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Self:
        """Validate raw context values; ``None`` or a missing key means the field's default."""
        return cls(**parse.given_fields(values, cls.context_fields()))
