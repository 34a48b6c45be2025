"""Runtime settings, read once from the Lambda environment.

The stack sets every variable; tests set them through ``monkeypatch``. A bad value fails the cold
start with a message that names the variable, rather than surfacing later as a confusing 500.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

CHAT_ISSUER = "chat@system.gserviceaccount.com"
DEFAULT_CHAT_CERTS_URL = (
    "https://www.googleapis.com/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com"
)
DEFAULT_GOOGLE_OIDC_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
SUPPORTED_LOCALES = ("en", "ko")
COMMAND_NAMES = ("help", "status", "subscribe", "unsubscribe", "mute", "unmute")

_PROJECT_NUMBER = re.compile(r"^[0-9]{1,20}$")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """What the functions need to know about their deployment."""

    subscriptions_table: str
    bot_id: str
    chat_audience: str
    locale: str = "en"
    addon_project_number: str | None = None
    chat_certs_url: str = DEFAULT_CHAT_CERTS_URL
    google_oidc_certs_url: str = DEFAULT_GOOGLE_OIDC_CERTS_URL
    slash_commands: Mapping[str, str] = field(default_factory=dict)
    time_zone: str = "UTC"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        addon = env.get("ADDON_PROJECT_NUMBER", "").strip() or None
        if addon is not None and not _PROJECT_NUMBER.match(addon):
            raise SettingsError("ADDON_PROJECT_NUMBER must be a Google Cloud project number (digits)")
        locale = env.get("LOCALE", "en").strip() or "en"
        if locale not in SUPPORTED_LOCALES:
            raise SettingsError(f"LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}, not {locale!r}")
        return cls(
            subscriptions_table=_required(env, "SUBSCRIPTIONS_TABLE"),
            bot_id=_required(env, "BOT_ID"),
            chat_audience=_audience(_required(env, "CHAT_AUDIENCE")),
            locale=locale,
            addon_project_number=addon,
            chat_certs_url=env.get("CHAT_CERTS_URL") or DEFAULT_CHAT_CERTS_URL,
            google_oidc_certs_url=env.get("GOOGLE_OIDC_CERTS_URL") or DEFAULT_GOOGLE_OIDC_CERTS_URL,
            slash_commands=_slash_commands(env.get("SLASH_COMMANDS", "")),
            time_zone=env.get("TIME_ZONE", "").strip() or "UTC",
        )

    @property
    def audience_is_project_number(self) -> bool:
        """True when Chat signs requests as chat@system for the project number (mode a)."""
        return bool(_PROJECT_NUMBER.match(self.chat_audience))


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(f"{name} is not set")
    return value


def _audience(value: str) -> str:
    if _PROJECT_NUMBER.match(value) or value.startswith("https://"):
        return value
    raise SettingsError("CHAT_AUDIENCE must be a project number or the https:// endpoint URL")


def _slash_commands(raw: str) -> dict[str, str]:
    """Parse ``{"1": "help", "2": "status"}``: Chat sends command ids, users think in names."""
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SettingsError(f"SLASH_COMMANDS is not JSON: {error.msg}") from None
    if not isinstance(parsed, dict):
        raise SettingsError("SLASH_COMMANDS must be a JSON object of command id to command name")
    commands: dict[str, str] = {}
    for command_id, name in parsed.items():
        if not isinstance(name, str) or name.lstrip("/") not in COMMAND_NAMES:
            raise SettingsError(f"SLASH_COMMANDS maps {command_id!r} to unknown command {name!r}")
        commands[str(command_id)] = name.lstrip("/")
    return commands
