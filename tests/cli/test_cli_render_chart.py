"""``alarm-bot render FILE --chart OUT.png``: the card's chart drawn with the operator's credentials,
against the GetMetricWidgetImage stand-in (``AWS_ENDPOINT_URL_CLOUDWATCH``, botocore's own
setting). Without credentials, without a chart or when CloudWatch refuses: the card is printed all
the same, one line on stderr says why, exit status 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.alarms.alarm_samples import sample_path
from tests.charts.widget_image_server import (
    FAILING,
    Step,
    WidgetImageServer,
    image,
    tiny_png,
    widget_image_server,
)
from tests.support.cli_runner import CliRunner

ALARM_FILE = sample_path("sns_korean_name")  # ap-northeast-2
COMPOSITE_FILE = sample_path("sns_composite_arns")


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials from the environment, nothing from the machine's own configuration."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    isolated(monkeypatch, tmp_path)


def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance role on a laptop either


def stand_in(monkeypatch: pytest.MonkeyPatch, steps: list[Step]) -> Iterator[WidgetImageServer]:
    with widget_image_server(steps) as fake:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", fake.url)
        yield fake


@pytest.fixture
def cloudwatch(monkeypatch: pytest.MonkeyPatch) -> Iterator[WidgetImageServer]:
    yield from stand_in(monkeypatch, [image()])


def test_the_chart_is_written_next_to_the_card(
    cli: CliRunner, credentials: None, cloudwatch: WidgetImageServer, tmp_path: Path
) -> None:
    out = tmp_path / "chart.png"
    plain = cli("render", str(ALARM_FILE), "--locale", "ko", "--time-zone", "Asia/Seoul")
    result = cli(
        "render", str(ALARM_FILE), "--locale", "ko", "--time-zone", "Asia/Seoul", "--chart", str(out)
    )
    assert (result.status, result.err) == (0, "")
    assert result.json() == plain.json(), "the card printed is the card, without an offline URL"
    assert out.read_bytes() == tiny_png()
    assert cloudwatch.regions == ["ap-northeast-2"], "asked in the alarm's region"
    (widget,) = cloudwatch.widgets
    assert (widget["timezone"], widget["title"]) == ("+0900", "결제 API/오류율 높음")


def test_chart_hours_are_the_functions(
    cli: CliRunner,
    credentials: None,
    cloudwatch: WidgetImageServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHART_HOURS", "12")
    assert cli("render", str(ALARM_FILE), "--chart", str(tmp_path / "c.png")).status == 0
    (widget,) = cloudwatch.widgets
    assert widget["start"] < widget["end"]
    monkeypatch.setenv("CHART_HOURS", "48")
    refused = cli("render", str(ALARM_FILE), "--chart", str(tmp_path / "c.png"))
    assert refused.status == 2 and refused.one_line_error and "CHART_HOURS" in refused.err


def test_without_credentials_the_card_is_printed_and_one_line_says_why(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolated(monkeypatch, tmp_path)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    for _ in stand_in(monkeypatch, [image()]):
        out = tmp_path / "chart.png"
        result = cli("render", str(ALARM_FILE), "--chart", str(out))
        assert result.status == 0 and result.json()["cardsV2"]
        assert result.err.count("\n") == 1 and "no AWS credentials found" in result.err
        assert result.err.startswith("alarm-bot render: no chart: ")
        assert not out.exists()


@pytest.mark.parametrize(
    ("file", "steps", "said"),
    [
        (COMPOSITE_FILE, [image()], "only metric alarms have one"),
        (ALARM_FILE, [FAILING] * 2, "refused GetMetricWidgetImage: InternalServiceError"),
    ],
    ids=["composite", "cloudwatch-fails"],
)
def test_no_chart_is_one_line_and_exit_status_0(
    cli: CliRunner,
    credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *,
    file: Path,
    steps: list[Step],
    said: str,
) -> None:
    for _ in stand_in(monkeypatch, steps):
        result = cli("render", str(file), "--chart", str(tmp_path / "chart.png"))
        assert result.status == 0 and result.json()
        assert result.err.count("\n") == 1 and said in result.err, result.err
        assert not (tmp_path / "chart.png").exists()


def test_an_unwritable_chart_path_is_an_error(
    cli: CliRunner, credentials: None, cloudwatch: WidgetImageServer, tmp_path: Path
) -> None:
    result = cli("render", str(ALARM_FILE), "--chart", str(tmp_path / "missing" / "chart.png"))
    assert result.status == 2 and result.one_line_error and "cannot write the chart" in result.err
