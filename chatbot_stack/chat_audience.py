"""Which Google Chat app the endpoint accepts: the ``chatAudience`` / ``addOnProjectNumber`` choice.

Google Chat signs every request with a token whose audience the Chat app's *Authentication
Audience* setting decides. With *Project Number*, the token comes from
``chat@system.gserviceaccount.com`` for that number, so only the Chat app of that Google Cloud
project can call the bot. With *HTTP endpoint URL*, it is a Google ID token from the same service
account for the URL: it names no project, so a Chat app that anyone builds in their own project and
points at the URL is accepted too (it could add "the bot" to its spaces and ask ``status``, which
lists this account's alarms in ALARM). A Google Workspace add-on's tokens are also for the URL, but
come from the add-on's own service account (``service-<number>@gcp-sa-gsuiteaddons…``), which the
function checks, so they are bound to its project as well.

The endpoint URL used to be the default, which made the unsafe choice the silent one. Now a deploy
must name the project (or the add-on); URL mode is still there for stacks deployed that way, but only
when asked for by name, and ``alarm-bot doctor`` warns about it.
"""

from __future__ import annotations

import re
from typing import Final

from chatbot_stack import config_values as parse

URL_AUDIENCE: Final = "url"
AUDIENCE_KEY: Final = "chatAudience"
ADDON_KEY: Final = "addOnProjectNumber"
# Stack output that says which mode the stack runs in; ``alarm-bot doctor`` reads it
# (alarm_bot_cli/doctor_checks.py keeps the same names; a test checks it).
OUTPUT_NAME: Final = "ChatAudience"
ADDON_OUTPUT_PREFIX: Final = "add-on:"
_PROJECT_NUMBER: Final = re.compile(r"^[0-9]{1,20}$")

MISSING_AUDIENCE: Final = (
    f"context key {AUDIENCE_KEY!r} is not set: pass the project number of the Google Cloud project "
    f"of your Chat app, e.g. -c {AUDIENCE_KEY}=123456789012 (or -c {ADDON_KEY}=<number> for a Google "
    "Workspace add-on); the number is on the Google Cloud console's project dashboard (Project info "
    "card) or under IAM & Admin > Settings. A stack deployed in URL mode (the old default) keeps "
    f"working after this upgrade if you set -c {AUDIENCE_KEY}={URL_AUDIENCE} explicitly "
    "(it accepts any project's Chat app: see README, Security)"
)


def audience(value: object) -> str:
    """``chatAudience``: a project number, ``url``, or empty (not chosen; see :func:`check_chosen`)."""
    text = parse.text(AUDIENCE_KEY, value)
    if not text or text == URL_AUDIENCE or _PROJECT_NUMBER.match(text):
        return text
    raise ValueError(
        f"context key {AUDIENCE_KEY!r} must be a Google Cloud project number (digits) or "
        f"{URL_AUDIENCE!r} (the endpoint URL is the token audience), not {text!r}"
    )


def optional_project_number(key: str, value: object) -> str | None:
    """A project number, or ``None`` for an empty value."""
    text = parse.text(key, value)
    if not text:
        return None
    if not _PROJECT_NUMBER.match(text):
        raise ValueError(f"context key {key!r} must be a Google Cloud project number (digits), not {text!r}")
    return text


def check_chosen(chat_audience: str, addon_project_number: str | None) -> None:
    """Refuse a configuration that names neither the project nor URL mode (:data:`MISSING_AUDIENCE`)."""
    if not chat_audience and addon_project_number is None:
        raise ValueError(MISSING_AUDIENCE)


def is_endpoint_url(chat_audience: str, addon_project_number: str | None) -> bool:
    """True when Google signs tokens for the endpoint URL (``url``, or any add-on), not a project."""
    return chat_audience == URL_AUDIENCE or addon_project_number is not None


def output_value(chat_audience: str, addon_project_number: str | None) -> str:
    """What the ``ChatAudience`` output says: the project number, ``url`` or ``add-on:<number>``."""
    if addon_project_number is not None:
        return f"{ADDON_OUTPUT_PREFIX}{addon_project_number}"
    return chat_audience
