"""The README's pictures of the cards: ``python -m alarm_bot_cli.preview_gallery`` (``make screenshots``).

Every picture is a real message, made by the code that makes it in production from the samples in
``tests/fixtures``, then drawn by :mod:`alarm_bot_cli.preview`:

* ``alarm``: an ALARM card as a space gets it (:func:`alarm_bot_cli.render.delivered_message`, what
  ``alarm-bot render`` prints);
* ``alarm-with-chart``: that card with its chart (:func:`alarm_bot.alarms.card_chart.with_chart`);
  the image is an SVG inlined in the page, drawn offline from the real widget definition by
  :mod:`alarm_bot_cli.preview.sample_chart` in place of CloudWatch's PNG;
* ``acknowledged-muted``: the same card after Jane clicked Acknowledge and someone muted it here
  for an hour, redrawn as the Chat function redraws a clicked card (``interactive_message`` with
  the stored card's state);
* ``resolved``: that card edited in place when the alarm returned to OK
  (:func:`alarm_bot.delivery.outgoing.resolved_message`);
* ``ok-in-thread``: the resolved card with the OK reply in its thread (the sample's OK: its own
  previous state and reason, 23 minutes later);
* ``digest``: a storm of six notifications as one digest (``render_digest_parts``), the samples
  moved to within a minute of each other, as a storm brings them;
* ``korean``: the Korean-named sample with ``locale=ko`` and ``timeZone=Asia/Seoul``;
* ``welcome``: what a space sees when the bot is added (``welcome_message``).

Each is photographed into ``<name>.png``, and ``pictures.sha256`` records the digests of the pages
and the PNGs (:mod:`alarm_bot_cli.gallery_manifest`): a test compares them, so a change to a card
shows up as a failing test that says to run ``make screenshots``. ``--html-only OUT`` writes the
pages themselves instead, with no Chromium, to read or diff them.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import sys
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alarm_bot.alarms.card_buttons import button_target
from alarm_bot.alarms.card_chart import CardImage, with_chart
from alarm_bot.alarms.card_drawing import interactive_message
from alarm_bot.alarms.card_facts import Acknowledgement
from alarm_bot.alarms.digest_rows import DigestRow
from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.render_digest import render_digest_parts
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.charts.widget import alt_text, chart_widget
from alarm_bot.chat.reply_messages import space_label, welcome_message
from alarm_bot.chat_message import ChatMessage
from alarm_bot.delivery.outgoing import resolved_message
from alarm_bot.i18n import Translator
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot_cli.errors import CommandError
from alarm_bot_cli.gallery_manifest import MANIFEST_NAME, manifest_text
from alarm_bot_cli.preview import page_html
from alarm_bot_cli.preview.sample_chart import sample_chart_svg
from alarm_bot_cli.preview.styles import PAGE_WIDTH
from alarm_bot_cli.preview_png import screenshot
from alarm_bot_cli.render import delivered_message

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SCREENSHOTS = REPO / "docs" / "screenshots"
ALARM_SAMPLE = "own/eventbridge_metric_alarm.json"  # prod-api-5xx-high, an EventBridge event
KOREAN_SAMPLE = "own/sns_korean_name.json"
SPACE = SpaceRecord(space="spaces/AAAAgallery", display_name="Payments on-call")
JANE = Acknowledgement(user="users/1001", name="Jane Doe", at=0)
ACKNOWLEDGED, MUTED, RECOVERED = timedelta(minutes=4), timedelta(minutes=5), timedelta(minutes=23)
STORM = (  # sample, seconds after the first, transitions shown before the last, what the space did
    ("own/sns_anomaly_alarm.json", 0, (), ""),
    (ALARM_SAMPLE, 29, (), "acknowledged"),
    (KOREAN_SAMPLE, 34, (), "muted"),
    ("own/sns_insufficient_data_percentile.json", 41, (), ""),
    ("real/notify-slack/events/aws_health_event.json", 47, (), ""),
    ("real/notify-slack/messages/cloudwatch_alarm.json", 52, (("ALARM", 5),), ""),
)
STORM_START = datetime(2026, 3, 14, 5, 10, 13, tzinfo=UTC)
# Where the card's chart would be; the picture shows the sample chart inlined instead (no network).
CHART_URL = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/charts/sample.png"
# The metric every 5 minutes for the 3 hours before the change: quiet, then the 5xx the alarm's
# reason quotes (61 at 05:04, 57 at 05:09).
CHART_VALUES = (
    4,
    6,
    3,
    5,
    7,
    4,
    2,
    5,
    6,
    3,
    4,
    8,
    5,
    3,
    6,
    4,
    5,
    7,
    3,
    4,
    6,
    5,
    4,
    3,
    5,
    6,
    4,
    7,
    5,
    4,
    6,
    3,
    5,
    4,
    9,
    61,
    57,
)


@dataclass(frozen=True)
class Picture:
    """One picture: its file name, and the messages it shows (several: a thread)."""

    name: str
    title: str
    messages: tuple[ChatMessage, ...]
    locale: str = "en"
    local_image: tuple[str, str] | None = None  # (URL in the message, the image to show instead)

    def html(self) -> str:
        page = page_html(self.messages, title=self.title, locale=self.locale)
        if self.local_image is not None:
            url, svg = self.local_image
            inline = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
            page = page.replace(f'src="{url}"', f'src="{inline}"')
        return page


def pictures(fixtures: Path = FIXTURES) -> list[Picture]:
    """Every picture of the README, in the order it shows them."""
    story = _Story(fixtures, DeliverySettings("", "", "", locale="en", time_zone="UTC"))
    korean = DeliverySettings("", "", "", locale="ko", time_zone="Asia/Seoul")
    welcome = welcome_message(Translator("en"), space_label(SPACE.display_name, SPACE.space))
    return [
        Picture("alarm", "An ALARM card", (story.posted(),)),
        Picture(
            "alarm-with-chart",
            "An ALARM card with its chart",
            (story.charted(),),
            local_image=(CHART_URL, story.chart()),
        ),
        Picture("acknowledged-muted", "Acknowledged and muted here", (story.clicked(),)),
        Picture("resolved", "Resolved in place", (story.resolved(),)),
        Picture("ok-in-thread", "The OK reply in the alarm's thread", (story.resolved(), story.ok_reply())),
        Picture("digest", "An alarm storm as one digest", (_digest(fixtures),)),
        Picture("korean", "A Korean card", (_delivered(_sample(fixtures, KOREAN_SAMPLE), korean),), "ko"),
        Picture("welcome", "The welcome card", (welcome,)),
    ]


class _Story:
    """One alarm's life in one space: posted, acknowledged and muted, resolved, OK in its thread."""

    def __init__(self, fixtures: Path, settings: DeliverySettings) -> None:
        event = json.loads((fixtures / ALARM_SAMPLE).read_text(encoding="utf-8"))
        self.alarm = _only_alarm(json.dumps(event))
        self.ok = _only_alarm(json.dumps(_recovered(event, RECOVERED)))
        self.settings = settings
        self.since = _moment(self.alarm)

    def posted(self) -> ChatMessage:
        return _delivered(self.alarm, self.settings)

    def charted(self) -> ChatMessage:
        alt = alt_text(self.alarm, hours=3, locale=self.settings.locale)
        return with_chart(self.posted(), CardImage(CHART_URL, alt), locale=self.settings.locale)

    def chart(self) -> str:
        """The stand-in for CloudWatch's PNG of the card's widget (:mod:`sample_chart`)."""
        widget = chart_widget(self.alarm, hours=3, time_zone="UTC", locale=self.settings.locale)
        if widget is None:
            raise TypeError("the gallery's alarm sample has no chart")
        end = datetime.fromisoformat(widget["end"].replace("Z", "+00:00"))
        change = datetime.fromtimestamp(self.since, UTC)
        first = change - timedelta(minutes=5 * (len(CHART_VALUES) - 1)) - timedelta(minutes=1)
        points = [(first + timedelta(minutes=5 * i), float(v)) for i, v in enumerate(CHART_VALUES)]
        return sample_chart_svg(widget, [(moment, value) for moment, value in points if moment <= end])

    def clicked(self) -> ChatMessage:
        """As the Chat function redraws the clicked card: the stored card with its state now."""
        record = self._record()
        return interactive_message(
            dict(record.message),
            record.alarm_key,
            record.card_state(self._muted_until()),
            target=button_target(add_on=False, endpoint_url=None),
            locale=self.settings.locale,
            time_zone=self.settings.time_zone,
        )

    def resolved(self) -> ChatMessage:
        resolved_at = int(_moment(self.ok))
        space = replace(SPACE, alarm_mutes={self.alarm.key: self._muted_until()})
        return resolved_message(self._record(), space, resolved_at, self.settings, resolved_at)

    def ok_reply(self) -> ChatMessage:
        return _delivered(self.ok, self.settings)

    def _record(self) -> AlarmMessage:
        """The card as delivery stored it, with Jane's acknowledgement."""
        base = render_message(self.alarm, locale=self.settings.locale, time_zone=self.settings.time_zone)
        return AlarmMessage(
            space=SPACE.space,
            alarm_key=self.alarm.key,
            message_name=f"{SPACE.space}/messages/gallery",
            transition=self.alarm.transition_id,
            since=int(self.since),
            message=base,
            alarm_name=self.alarm.name,
            alarm_arn=self.alarm.arn or "",
            acknowledgements=(replace(JANE, at=int(self.since + ACKNOWLEDGED.total_seconds())),),
        )

    def _muted_until(self) -> int:
        return int(self.since + (MUTED + timedelta(hours=1)).total_seconds())


def _recovered(event: dict[str, Any], after: timedelta) -> dict[str, Any]:
    """The EventBridge sample's OK: its previous state and reason, ``after`` its ALARM."""
    ok = copy.deepcopy(event)
    detail = ok["detail"]
    at = datetime.fromisoformat(detail["state"]["timestamp"]) + after
    detail["previousState"], detail["state"] = (
        detail["state"],
        {
            "value": "OK",
            "reason": detail["previousState"]["reason"],
            "timestamp": at.isoformat(timespec="milliseconds"),
        },
    )
    ok["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event['id']}:ok"))
    ok["time"] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ok


def _digest(fixtures: Path) -> ChatMessage:
    """The storm's digest as delivery posts it, a minute after its first alarm."""
    rows = []
    for sample, offset, earlier, done in STORM:
        at = STORM_START + timedelta(seconds=offset)
        notification = _at(_sample(fixtures, sample), at)
        history = tuple((state, (STORM_START + timedelta(seconds=s)).timestamp()) for state, s in earlier)
        rows.append(_row(notification, (*history, (_state(notification), at.timestamp())), done))
    now = (STORM_START + timedelta(seconds=75)).timestamp()
    target = button_target(add_on=False, endpoint_url=None)
    parts = render_digest_parts(rows, locale="en", time_zone="UTC", target=target, now=now, max_parts=1)
    return parts[0].message


def _row(notification: Notification, history: tuple[tuple[str, float], ...], done: str) -> DigestRow:
    """A line, acknowledged (by Jane, 20 s later) or muted here (for an hour) if the space did so."""
    row = DigestRow(notification, history=history)
    last = int(history[-1][1])
    if done == "acknowledged":
        return replace(row, acknowledgements=(replace(JANE, at=last + 20),))
    if done == "muted":
        return replace(row, muted_until=last + 3600)
    return row


def _at(notification: Notification, moment: datetime) -> Notification:
    if isinstance(notification, Alarm):
        return replace(notification, changed_at=moment)
    return replace(notification, time=moment)


def _state(notification: Notification) -> str:
    return notification.state.value if isinstance(notification, Alarm) else ""


def _delivered(notification: Notification, settings: DeliverySettings) -> ChatMessage:
    return delivered_message(notification, settings, mention=False)


def _sample(fixtures: Path, name: str) -> Notification:
    (notification,) = parse_notification((fixtures / name).read_text(encoding="utf-8"))
    return notification


def _only_alarm(content: str) -> Alarm:
    (alarm,) = parse_notification(content)
    if not isinstance(alarm, Alarm):
        raise TypeError("the gallery's alarm sample is not a CloudWatch alarm")
    return alarm


def _moment(alarm: Alarm) -> float:
    if alarm.changed_at is None:
        raise TypeError("the gallery's alarm sample has no time")
    return alarm.changed_at.timestamp()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="preview_gallery", description="Redraw the README's card pictures.")
    parser.add_argument(
        "out", nargs="?", type=Path, default=SCREENSHOTS, help="folder (default: docs/screenshots)"
    )
    parser.add_argument(
        "--html-only", action="store_true", help="write the HTML pages instead (no Chromium, no manifest)"
    )
    args = parser.parse_args(argv)

    try:
        args.out.mkdir(parents=True, exist_ok=True)
        pages = {picture.name: picture.html() for picture in pictures()}
        for name, page in pages.items():
            written = args.out / (f"{name}.html" if args.html_only else f"{name}.png")
            if args.html_only:
                written.write_text(page, encoding="utf-8")
            else:
                written.unlink(missing_ok=True)  # a picture not taken again fails the manifest
                screenshot(page, written, width=PAGE_WIDTH)
            print(written)
        if not args.html_only:
            (args.out / MANIFEST_NAME).write_text(manifest_text(pages, args.out), encoding="utf-8")
            print(args.out / MANIFEST_NAME)
    except (CommandError, OSError) as error:
        print(f"preview_gallery: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
