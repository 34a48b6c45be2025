"""Parsers for single CDK context values, shared by :mod:`chatbot_stack.config`.

Every parser takes the context key so its error can name it: the person who mistyped ``cdk.json`` or
``cdk -c key=value`` should not have to guess which of a dozen keys is wrong. Values given with
``-c`` arrive as strings, so each parser also accepts the text form of its type (``"30"``,
``"false"``, ``'["a","b"]'`` or ``a,b``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

ACCOUNT_ID: Final = re.compile(r"^[0-9]{12}$")
# Deliberately loose: SNS sends a confirmation mail, which is the real check. This only catches
# values that cannot be an address at all (a missing '@', spaces, a pasted name).
EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH: Final = 254
MAX_ALARM_NAME_LENGTH: Final = 255  # CloudWatch's limit, so a longer prefix could never match.
_CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x1f\x7f]")

# A context value's parser: (context key, raw value) → the field's value, or ValueError naming the key.
Parser = Callable[[str, object], object]


def given_fields(values: Mapping[str, object], keys: Mapping[str, tuple[str, Parser]]) -> dict[str, Any]:
    """Field name → parsed value, for each of ``keys`` (context key → field, parser) given a value.

    A key that is absent or ``None`` is left out, so the dataclass built from the result keeps its
    own default for it: the defaults are written once, on the fields.
    """
    return {
        name: parser(key, values[key]) for key, (name, parser) in keys.items() if values.get(key) is not None
    }


def text(key: str, value: object) -> str:
    """Context strings, tolerating bare numbers (a project number written without quotes)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"context key {key!r} must be a string, not {value!r}")


def optional_pattern(pattern: re.Pattern[str], *, must_be: str) -> Callable[[str, object], str | None]:
    """A parser of text that ``pattern`` matches, ``None`` for the empty string (``must_be``: its form).

    The parsers of single-form keys (an id, an ARN) differ only in the form and how it reads.
    """

    def matching_text(key: str, value: object) -> str | None:
        found = text(key, value)
        if not found:
            return None
        if not pattern.match(found):
            raise ValueError(f"context key {key!r} must be {must_be}, not {found!r}")
        return found

    return matching_text


def choice(key: str, value: object, choices: tuple[str, ...]) -> str:
    """One of a fixed set of strings."""
    result = text(key, value)
    if result not in choices:
        raise ValueError(f"context key {key!r} must be one of {', '.join(choices)}, not {result!r}")
    return result


def positive_number(key: str, value: object) -> float:
    """A finite number above zero, from a JSON number or its text."""
    number: float
    if isinstance(value, bool):
        raise ValueError(f"context key {key!r} must be a number, not {value!r}")
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(f"context key {key!r} must be a number, not {value!r}") from None
    else:
        raise ValueError(f"context key {key!r} must be a number, not {value!r}")
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"context key {key!r} must be a positive number, not {value!r}")
    return number


def positive_integer(key: str, value: object) -> int:
    """A whole number above zero (``30`` and ``"30"`` both; ``1.5`` is refused)."""
    number = positive_number(key, value)
    if not float(number).is_integer():
        raise ValueError(f"context key {key!r} must be a whole number, not {value!r}")
    return int(number)


def integer_in_range(key: str, value: object, low: int, high: int, *, why: str, zero: bool = False) -> int:
    """A whole number in ``[low, high]``; ``why`` names the limit's origin in the error.

    ``zero`` admits 0 (positive numbers otherwise).
    """
    if zero and str(value).strip() == "0" and not isinstance(value, bool):
        number = 0
        if low <= number <= high:
            return number
    number = positive_integer(key, value)
    if not low <= number <= high:
        raise ValueError(f"context key {key!r} must be from {low} to {high} ({why}), not {number}")
    return number


def number_in_range(key: str, value: object, low: float, high: float, *, why: str) -> float:
    """A number in ``[low, high]`` that may have a fraction (``0.5``, ``"2.5"``); ``why`` as above."""
    number = positive_number(key, value)
    if not low <= number <= high:
        raise ValueError(f"context key {key!r} must be from {low:g} to {high:g} ({why}), not {number:g}")
    return float(number)


def boolean(key: str, value: object) -> bool:
    """``true``/``false`` as JSON booleans or text (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ValueError(f"context key {key!r} must be true or false, not {value!r}")


def string_list(key: str, value: object) -> tuple[str, ...]:
    """A JSON array of strings, or its text: ``'["a", "b"]'`` or ``a,b`` (both from ``-c``).

    Items are stripped, empty items dropped and duplicates removed (first one kept), so the result
    is what the stack should create, once each and in the order given.
    """
    items: object = value
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                items = json.loads(stripped)
            except json.JSONDecodeError as error:
                raise ValueError(f"context key {key!r} is not a valid JSON array: {error.msg}") from None
        else:
            items = stripped.split(",") if stripped else []
    if not isinstance(items, list | tuple):
        raise ValueError(f"context key {key!r} must be a list of strings, not {value!r}")
    result: dict[str, None] = {}
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise ValueError(f"context key {key!r} must be a list of strings; {item!r} is not a string")
        cleaned = str(item).strip()
        if cleaned:
            result[cleaned] = None
    return tuple(result)


def account_ids(key: str, value: object) -> tuple[str, ...]:
    """AWS account ids: exactly 12 digits, as strings (an id may start with a zero)."""
    ids = string_list(key, value)
    for account in ids:
        if not ACCOUNT_ID.match(account):
            raise ValueError(f"context key {key!r}: {account!r} is not a 12-digit AWS account id")
    return ids


def alarm_name_prefixes(key: str, value: object) -> tuple[str, ...]:
    """Prefixes of CloudWatch alarm names: at most 255 characters, no control characters."""
    prefixes = string_list(key, value)
    for prefix in prefixes:
        if len(prefix) > MAX_ALARM_NAME_LENGTH or _CONTROL_CHARACTERS.search(prefix):
            raise ValueError(
                f"context key {key!r}: {prefix!r} cannot start an alarm name (at most "
                f"{MAX_ALARM_NAME_LENGTH} characters, no control characters)"
            )
    return prefixes


def optional_email(key: str, value: object) -> str | None:
    """An e-mail address, or ``None`` for the empty string."""
    address = text(key, value)
    if not address:
        return None
    if len(address) > MAX_EMAIL_LENGTH or not EMAIL.match(address):
        raise ValueError(
            f"context key {key!r} must be an e-mail address such as ops@example.com, not {address!r}"
        )
    return address
