"""``make deploy-forwarder``: the bus ARN from the bot's stack, one ``cdk deploy`` per other region."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from chatbot_stack import deployed_bus
from tests.conftest import REPO_ROOT, STACK_NAME

if TYPE_CHECKING:
    from aws_cdk.assertions import Template

BUS_ARN = "arn:aws:events:ap-northeast-2:123456789012:event-bus/AlarmChatBot-alarms"


class FakeCloudFormation:
    """``describe_stacks`` answering for one stack, or raising as CloudFormation does for others."""

    def __init__(self, outputs: list[dict[str, str]] | None) -> None:
        self.outputs = outputs
        self.asked: list[str] = []

    def describe_stacks(self, *, StackName: str) -> dict[str, Any]:
        self.asked.append(StackName)
        if self.outputs is None:
            error = {
                "Error": {"Code": "ValidationError", "Message": f"Stack with id {StackName} does not exist"}
            }
            raise ClientError(error, "DescribeStacks")  # type: ignore[arg-type]
        return {"Stacks": [{"StackName": StackName, "Outputs": self.outputs}]}


def test_reads_what_the_stack_writes(stack_template: Template) -> None:
    """The output of the stack app.py deploys (its template is what the session synthesized)."""
    outputs = [{"OutputKey": key, "OutputValue": f"<{key}>"} for key in stack_template.find_outputs("*")]
    client = FakeCloudFormation(outputs)
    assert deployed_bus.bus_arn(client) == "<AlarmEventBusArn>"  # type: ignore[arg-type]
    assert client.asked == [STACK_NAME]


def test_reads_the_output() -> None:
    client = FakeCloudFormation(
        [{"OutputKey": "X", "OutputValue": "y"}, {"OutputKey": "AlarmEventBusArn", "OutputValue": BUS_ARN}]
    )
    assert deployed_bus.bus_arn(client) == BUS_ARN  # type: ignore[arg-type]
    assert client.asked == ["AlarmChatBot"]


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        (None, "cannot read stack AlarmChatBot: Stack with id AlarmChatBot does not exist (deploy the bot"),
        (
            [{"OutputKey": "AlarmTopicArn", "OutputValue": "arn"}],
            "has no output AlarmEventBusArn: deploy the",
        ),
    ],
)
def test_says_what_to_do_when_there_is_no_bus(outputs: list[dict[str, str]] | None, message: str) -> None:
    with pytest.raises(deployed_bus.BusNotFoundError, match=re.escape(message)):
        deployed_bus.bus_arn(FakeCloudFormation(outputs))  # type: ignore[arg-type]


def test_main_prints_the_arn_or_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    regions: list[str | None] = []

    def client(service: str, region_name: str | None = None) -> FakeCloudFormation:
        assert service == "cloudformation"
        regions.append(region_name)
        return FakeCloudFormation(
            [{"OutputKey": "AlarmEventBusArn", "OutputValue": BUS_ARN}] if region_name else None
        )

    monkeypatch.setattr(deployed_bus.boto3, "client", client)
    assert deployed_bus.main(["--region", "ap-northeast-2"]) == 0
    assert capsys.readouterr().out == BUS_ARN + "\n"
    assert deployed_bus.main([]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Cannot find the bot's event bus: cannot read stack AlarmChatBot")
    assert len(captured.err.strip().splitlines()) == 1
    assert regions == ["ap-northeast-2", None]


def fake_cdk(tmp_path: Path, body: str = 'echo "cdk region=$AWS_REGION $*"') -> Path:
    """Stands in for the CDK CLI: by default prints the region it was given and its arguments."""
    script = tmp_path / "cdk"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def run_make(cdk: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    # -o deploy-install: the virtualenv and node_modules are there (make test built them).
    command = [
        "make",
        "--no-print-directory",
        "-o",
        "deploy-install",
        "deploy-forwarder",
        f"CDK={cdk}",
        *arguments,
    ]
    return subprocess.run(
        command,
        cwd=REPO_ROOT,
        env={key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_deploy_per_region_the_bots_own_skipped(tmp_path: Path) -> None:
    result = run_make(
        fake_cdk(tmp_path), "REGIONS=eu-west-1 ap-northeast-2 us-east-1", f"ALARM_BUS_ARN={BUS_ARN}"
    )
    assert result.returncode == 0, result.stderr
    deploys = [line for line in result.stdout.splitlines() if line.startswith("cdk ")]
    expected = "deploy AlarmChatBotForwarder --exclusively --parameters AlarmBusArn=" + BUS_ARN
    assert deploys == [f"cdk region=eu-west-1 {expected}", f"cdk region=us-east-1 {expected}"]
    assert "== ap-northeast-2: skipped, the bot itself runs there" in result.stdout


def test_regions_are_required(tmp_path: Path) -> None:
    result = run_make(fake_cdk(tmp_path), f"ALARM_BUS_ARN={BUS_ARN}")
    assert result.returncode != 0
    assert 'make deploy-forwarder REGIONS="eu-west-1 us-east-1"' in result.stderr
    assert "cdk region=" not in result.stdout


def test_a_failed_deploy_stops_the_loop(tmp_path: Path) -> None:
    failing = fake_cdk(tmp_path, 'echo "cdk region=$AWS_REGION"; exit 3')
    result = run_make(failing, "REGIONS=eu-west-1 us-east-1", f"ALARM_BUS_ARN={BUS_ARN}")
    assert result.returncode != 0
    assert [line for line in result.stdout.splitlines() if line.startswith("cdk ")] == [
        "cdk region=eu-west-1"
    ]
