"""Endpoint: handler time for a verified MESSAGE event once warm, over 1,000 events.

The real chat-events code path — bearer token verified with google-auth against certificates from
a local stand-in (cached after the first request), event parsed, command run, reply wrapped — with
the space store swapped for an in-memory one, so the figure is the handler's own time and not
DynamoDB's network round trip. Target: median and p99 under 5 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from _report import figure, finish

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.verify import CertCache, ChatRequestVerifier
from alarm_bot.handlers.chat_events import ChatDependencies, handle_request, logger
from alarm_bot.settings import Settings
from tests.support.google_tokens import FakeGoogleCerts

EVENTS = 1000
TARGET_MS = 5.0
PROJECT = "123456789012"


class MemoryStore:
    """Just enough of SpaceStore for MESSAGE events."""

    def __init__(self) -> None:
        self.records: dict[str, SpaceRecord] = {}

    def get(self, space: str) -> SpaceRecord | None:
        return self.records.get(space)

    def put_if_absent(self, record: SpaceRecord) -> bool:
        return self.records.setdefault(record.space, record) is record


def request(token: str, text: str) -> dict[str, object]:
    body = {
        "type": "MESSAGE",
        "eventTime": "2026-11-27T10:00:00.000000Z",
        "space": {"name": "spaces/AAAA", "displayName": "운영팀", "spaceType": "SPACE"},
        "user": {"name": "users/1", "displayName": "Ada"},
        "message": {
            "name": "spaces/AAAA/messages/1",
            "text": f"@AWS Alarms {text}",
            "argumentText": f" {text}",
        },
    }
    return {
        "headers": {"authorization": f"Bearer {token}"},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def main() -> None:
    print(f"Endpoint (verified MESSAGE events, warm, {EVENTS} events)")
    # Log lines are still formatted and written, as in Lambda, but not onto this report.
    logger.registered_handler.setStream(open(os.devnull, "w"))  # type: ignore[attr-defined]  # noqa: SIM115
    with FakeGoogleCerts() as google:
        settings = Settings(
            subscriptions_table="spaces",
            bot_id="bench",
            chat_audience=PROJECT,
            chat_certs_url=google.url,
            locale="ko",
            time_zone="Asia/Seoul",
        )
        verifier = ChatRequestVerifier(settings, cert_cache=CertCache())
        dependencies = ChatDependencies(verifier=verifier, bot=ChatBot(settings, MemoryStore()))  # type: ignore[arg-type]
        tokens = [google.chat_token(PROJECT, jti=str(index)) for index in range(50)]
        events = [request(tokens[i % len(tokens)], ("help", "status", "bogus")[i % 3]) for i in range(EVENTS)]
        assert handle_request(events[0], dependencies)["statusCode"] == 200  # fetches the certificates
        samples = []
        for event in events:
            start = time.perf_counter()
            response = handle_request(event, dependencies)
            samples.append((time.perf_counter() - start) * 1000)
            assert response["statusCode"] == 200
    samples.sort()
    median, p99 = statistics.median(samples), samples[int(len(samples) * 0.99) - 1]
    figure("median handler time", f"{median:.2f} ms", f"< {TARGET_MS:.0f} ms", median < TARGET_MS)
    figure("p99 handler time", f"{p99:.2f} ms", f"< {TARGET_MS:.0f} ms", p99 < TARGET_MS)
    figure("certificate fetches", str(google.fetch_count))
    finish("endpoint")


if __name__ == "__main__":
    main()
