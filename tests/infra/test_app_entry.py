"""``app.py`` as the CDK CLI runs it: a one-line error without a project, no region or account baked in.

The CLI runs ``python3 app.py`` with the context in ``CDK_CONTEXT_JSON`` and, always, a default
environment in ``CDK_DEFAULT_REGION`` (us-east-1 when the shell has none) and ``CDK_DEFAULT_ACCOUNT``
(when it has credentials). These tests do the same, without bundling the Lambda asset.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI_CONTEXT, REPO_ROOT, STACK_NAME

CLI_REGION = "us-east-1"  # the CLI's fallback region
CLI_ACCOUNT = "210987654321"
# A region name as AWS spells them: us-east-1, ap-southeast-6, us-gov-west-1, cn-north-1…
REGION_LITERAL = re.compile(r"\b[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]\b")


def run_app(context: dict[str, Any], outdir: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CDK_")}
    env.update(
        CDK_OUTDIR=str(outdir),
        CDK_CONTEXT_JSON=json.dumps({**context, **CLI_CONTEXT, "aws:cdk:bundling-stacks": []}),
        CDK_DEFAULT_REGION=CLI_REGION,
        CDK_DEFAULT_ACCOUNT=CLI_ACCOUNT,
    )
    return subprocess.run(
        [sys.executable, "app.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("audience", ["", None])
def test_without_a_project_number_synth_stops_with_one_line(
    cdk_context: dict[str, Any], tmp_path: Path, audience: str | None
) -> None:
    context = {**cdk_context, "chatAudience": audience}
    if audience is None:
        del context["chatAudience"]
    result = run_app(context, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Invalid CDK context: context key 'chatAudience' is not set: ")
    assert "Project info" in lines[0] and "-c chatAudience=url explicitly" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / f"{STACK_NAME}.template.json").exists()


@pytest.fixture(scope="module")
def cli_outdir(cdk_context: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``cdk synth`` writes in a shell whose default environment is set."""
    outdir = tmp_path_factory.mktemp("cdk.cli-env")
    result = run_app(cdk_context, outdir)
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="module")
def cli_template(cli_outdir: Path) -> dict[str, Any]:
    """The bot's template from :func:`cli_outdir`."""
    template: dict[str, Any] = json.loads((cli_outdir / f"{STACK_NAME}.template.json").read_text())
    return template


def region_comparisons(expression: Any) -> tuple[set[str], list[Any]]:
    """(regions a condition compares ``AWS::Region`` with, every other region literal in it)."""
    compared: set[str] = set()
    elsewhere: list[Any] = []
    if isinstance(expression, dict) and set(expression) == {"Fn::Equals"}:
        first, second = expression["Fn::Equals"]
        if first == {"Ref": "AWS::Region"} and isinstance(second, str):
            return {second}, []
    children = expression.values() if isinstance(expression, dict) else expression
    if isinstance(expression, dict | list):
        for child in children:
            more, other = region_comparisons(child)
            compared |= more
            elsewhere += other
    elif isinstance(expression, str) and REGION_LITERAL.search(expression):
        elsewhere.append(expression)
    return compared, elsewhere


def test_the_template_names_no_region_or_account(cli_template: dict[str, Any]) -> None:
    """Nothing is bound to the CLI's default environment: no region or account literal in any
    resource, output or mapping. Region names appear only where a condition compares the deploy
    region with them: ours (the regions without SnapStart) and CDK's ``CDKMetadataAvailable`` (its
    version-reporting resource exists only where the metadata service does; it lists every region)."""
    outside_conditions = json.dumps(
        {key: value for key, value in cli_template.items() if key != "Conditions"}
    )
    assert REGION_LITERAL.findall(outside_conditions) == []
    assert CLI_ACCOUNT not in json.dumps(cli_template)
    conditions = cli_template["Conditions"]
    assert set(conditions) == {"SnapStartAvailable", "SnapStartOn", "CDKMetadataAvailable"}
    compared, elsewhere = region_comparisons(conditions["SnapStartAvailable"])
    assert (compared, elsewhere) == ({"ap-southeast-6", "ap-east-2"}, [])
    assert region_comparisons(conditions["SnapStartOn"]) == (set(), [])
    compared, elsewhere = region_comparisons(conditions["CDKMetadataAvailable"])
    assert elsewhere == [] and {CLI_REGION, "ap-northeast-2", "eu-west-1"} <= compared


def test_region_and_account_come_from_the_deploy(cli_template: dict[str, Any]) -> None:
    text = json.dumps(cli_template)
    assert '{"Ref": "AWS::Region"}' in text and '{"Ref": "AWS::AccountId"}' in text
    bucket = next(
        resource["Properties"]["Code"]["S3Bucket"]
        for resource in cli_template["Resources"].values()
        if resource["Type"] == "AWS::Lambda::Function"
    )
    assert bucket == {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}


FORWARDER = "AlarmChatBotForwarder"


def test_both_stacks_are_written(cli_outdir: Path) -> None:
    """``make synth`` leaves the bot and the forwarder side by side in cdk.out/."""
    written = {path.name for path in cli_outdir.glob("*.template.json")}
    assert written == {f"{STACK_NAME}.template.json", f"{FORWARDER}.template.json"}


def test_the_forwarder_names_no_region_or_account(cli_outdir: Path) -> None:
    """One template for every account and region (a StackSet): no literal, no condition on them."""
    text = (cli_outdir / f"{FORWARDER}.template.json").read_text()
    assert REGION_LITERAL.findall(text) == []
    assert CLI_ACCOUNT not in text
    assert "Conditions" not in json.loads(text)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("organizationId", "o-123"),
        ("accountNames", '{"111122223333": ""}'),
        ("accountNames", "not json"),
        ("alarmBusArn", "AlarmChatBot-alarms"),
    ],
)
def test_bad_multi_account_context_stops_synth_with_one_line(
    cdk_context: dict[str, Any], tmp_path: Path, key: str, value: str
) -> None:
    result = run_app({**cdk_context, key: value}, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Invalid CDK context: context key '{key}'")
    assert "Traceback" not in result.stderr + result.stdout
    assert list(tmp_path.glob("*.template.json")) == []
