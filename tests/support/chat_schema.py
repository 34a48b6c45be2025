"""Validate messages against the Chat API's own schema, as Google publishes it.

The google-api-python-client wheel ships the Chat v1 discovery document. Its ``schemas`` use
Google's discovery format (``$ref`` by name, ``type``, ``properties``, ``items``,
``additionalProperties``, ``enum``, ``format``); :func:`discovery_to_json_schema` turns them into a
JSON Schema (draft 2020-12) whose objects refuse unknown properties, so a misspelled widget key or
a value of the wrong type fails here instead of in Chat (which answers 400 in production).
Read-only fields stay allowed: the same ``Message`` schema describes what Chat returns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

DISCOVERY_PATH = ("discovery_cache", "documents", "chat.v1.json")
_INT32 = {"minimum": -(2**31), "maximum": 2**31 - 1}
_SCALARS = {"string", "integer", "number", "boolean"}


def load_discovery() -> dict[str, Any]:
    """The Chat v1 discovery document inside the installed ``googleapiclient`` package."""
    document = resources.files("googleapiclient").joinpath(*DISCOVERY_PATH)
    loaded: dict[str, Any] = json.loads(document.read_text(encoding="utf-8"))
    return loaded


def discovery_to_json_schema(discovery: Mapping[str, Any], root: str = "Message") -> dict[str, Any]:
    """A draft 2020-12 schema for ``root``, every discovery schema under ``$defs``."""
    definitions = {name: _convert(schema) for name, schema in discovery["schemas"].items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": definitions,
        "$ref": f"#/$defs/{root}",
    }


def _convert(node: Mapping[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return {"$ref": f"#/$defs/{node['$ref']}"}
    kind = node.get("type")
    if kind == "object" or "properties" in node or "additionalProperties" in node:
        return _object(node)
    if kind == "array":
        return {"type": "array", "items": _convert(node["items"])} if "items" in node else {"type": "array"}
    if kind in _SCALARS:
        return _scalar(kind, node)
    return {}  # "any"


def _object(node: Mapping[str, Any]) -> dict[str, Any]:
    properties = {name: _convert(value) for name, value in node.get("properties", {}).items()}
    extra = node.get("additionalProperties")
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": _convert(extra) if isinstance(extra, Mapping) else False,
    }


def _scalar(kind: str, node: Mapping[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if "enum" in node:
        schema["enum"] = list(node["enum"])
    if node.get("format") == "int32":
        schema.update(_INT32)
    if kind == "string" and node.get("format") in ("int64", "uint64"):
        schema["pattern"] = r"^-?[0-9]+$"
    return schema


@lru_cache(maxsize=1)
def message_validator() -> Draft202012Validator:
    schema = discovery_to_json_schema(load_discovery())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_message(message: dict[str, Any]) -> None:
    """Raise :class:`jsonschema.ValidationError` (the most relevant one) if Chat would refuse it."""
    error = best_match(message_validator().iter_errors(message))
    if error is not None:
        raise error


__all__ = ["ValidationError", "discovery_to_json_schema", "load_discovery", "validate_message"]
