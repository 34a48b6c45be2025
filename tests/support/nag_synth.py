"""Synthesis with both cdk-nag packs, and the findings cdk-nag 3 leaves in CDK's validation report.

CDK imports lazily (inside the functions), so importing this module does not start jsii.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_cdk import App
    from aws_cdk.assertions import Template

REPORT = "validation-report.json"


@dataclass(frozen=True)
class NaggedTemplate:
    """A stack's template (file and dict) and the cdk-nag findings of the synthesis that wrote it."""

    outdir: Path
    template_path: Path
    template: dict[str, Any]
    nag_findings: list[str]

    def assertions(self) -> Template:
        from aws_cdk.assertions import Template

        return Template.from_json(json.loads(self.template_path.read_text()))


def synth_template_with_nag(app: App, outdir: Path, stack_name: str) -> NaggedTemplate:
    """:func:`synth_with_nag`, then the template of ``stack_name`` it wrote (``{}`` if none)."""
    findings = synth_with_nag(app, outdir)
    path = outdir / f"{stack_name}.template.json"
    # A failed validation may stop synthesis before the template is written; the findings say why.
    template = json.loads(path.read_text()) if path.exists() else {}
    return NaggedTemplate(outdir, path, template, findings)


def synth_with_nag(app: App, outdir: Path) -> list[str]:
    """``app`` (writing to ``outdir``) synthesized with cdk-nag on: its unacknowledged findings.

    A failed validation stops synthesis with a ``RuntimeError`` after writing the report (maybe
    before the template); the findings say why. Without a report the error is raised.
    """
    from chatbot_stack.nag import apply_nag

    apply_nag(app)
    try:
        app.synth()
    except RuntimeError:
        if not (outdir / REPORT).exists():
            raise
    return validation_findings(outdir)


def validation_findings(outdir: Path) -> list[str]:
    """The report's findings in ``outdir``, one ``severity rule at path: description`` line each."""
    report = outdir / REPORT
    if not report.exists():
        return []
    findings = []
    for plugin in json.loads(report.read_text()).get("pluginReports", []):
        for violation in plugin.get("violations", []):
            for construct in violation.get("violatingConstructs", []):
                findings.append(
                    f"{violation['severity']} {violation['ruleName']} at {construct['constructPath']}: "
                    f"{violation['description']}"
                )
    return findings
