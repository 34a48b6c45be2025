"""The Lambda asset: built without Docker, for linux/aarch64, and holding nothing but runtime code."""

from __future__ import annotations

import ast
import re
import shutil
from importlib.metadata import PathDistribution
from pathlib import Path

import pytest
from aws_cdk import FileSystem

from chatbot_stack.bundling import (
    HASH_EXCLUDES,
    LAMBDA_DIR,
    PACKAGE,
    PRUNED_DIRS,
    RUNTIME,
    PipLocalBundling,
    prune,
)

REQUIRED = ["google/auth", "requests", "aws_lambda_powertools", "cryptography", "alarm_bot/settings.py"]
# Test and development packages of this repository, and what the Lambda runtime already provides.
FORBIDDEN = [
    "pytest",
    "_pytest",
    "moto",
    "boto3",
    "botocore",
    "cfnlint",
    "cfn_lint",
    "mypy",
    "ruff",
    "jsonschema",
    "aws_cdk",
    "jsii",
    "cdk_nag",
    "constructs",
    "googleapiclient",
]
ELF_MACHINE_AARCH64 = 183
# The runtime package's top level, exactly: a new module or subpackage is added here on purpose. The
# operator CLI and its HTML preview are the root's ``alarm_bot_cli`` package, never bundled.
RUNTIME_ENTRIES = [
    "__init__.py",
    "alarms",
    "charts",
    "chat",
    "chat_message.py",
    "cloudwatch",
    "delivery",
    "env_names.py",
    "handlers",
    "i18n.py",
    "keep_warm.py",
    "literal.py",
    "log_lines.py",
    "settings.py",
    "snapstart.py",
    "space_names.py",
    "store",
    "timefmt.py",
    "whole_text.py",
]
OPERATOR_CLI = "alarm_bot_cli"
# What the operator CLI and the preview were called when they lived inside the runtime package.
OLD_OPERATOR_DIRS = frozenset({"cli", "preview"})


def elf_machine(path: Path) -> int:
    """The ``e_machine`` field of an ELF header (little-endian, offset 18)."""
    header = path.read_bytes()[:20]
    assert header[:4] == b"\x7fELF", f"{path} is not an ELF file"
    return int.from_bytes(header[18:20], "little")


@pytest.mark.parametrize("relative", REQUIRED)
def test_runtime_dependencies_are_bundled(lambda_asset_dir: Path, relative: str) -> None:
    assert (lambda_asset_dir / relative).exists(), f"{relative} missing from {lambda_asset_dir}"


@pytest.mark.parametrize("module", ["chat_events", "alarm_events"])
def test_handlers_are_bundled(lambda_asset_dir: Path, module: str) -> None:
    """Both functions run the one shared asset, so both handler modules must be in it."""
    if not (Path(__file__).resolve().parents[2] / f"lambda/alarm_bot/handlers/{module}.py").exists():
        pytest.skip(f"alarm_bot/handlers/{module}.py is not written yet")
    assert (lambda_asset_dir / f"alarm_bot/handlers/{module}.py").is_file()


def pinned_requirements() -> dict[str, str]:
    """``lambda/requirements.txt`` as normalized distribution name → pinned version."""
    pins: dict[str, str] = {}
    for line in (LAMBDA_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines():
        requirement = line.partition("#")[0].strip()
        if requirement:
            name, _, version = requirement.partition("==")
            pins[normalized(name)] = version.strip()
    return pins


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them (``Charset_Normalizer`` is ``charset-normalizer``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_asset_top_level_is_alarm_bot_and_the_pinned_distributions(lambda_asset_dir: Path) -> None:
    """Top level: ``alarm_bot`` and what pip installed for the pins (by their RECORDs), nothing else."""
    distributions = [PathDistribution(path) for path in lambda_asset_dir.glob("*.dist-info")]
    installed = {normalized(dist.metadata["Name"]): dist.version for dist in distributions}
    assert installed == pinned_requirements()
    # RECORD names scripts as ../../bin/x (pip's bin/ is pruned), and pruned test suites are gone.
    recorded = {file.parts[0] for dist in distributions for file in dist.files or []}
    expected = {PACKAGE, *recorded} - {"..", "bin", *PRUNED_DIRS}
    assert sorted(path.name for path in lambda_asset_dir.iterdir()) == sorted(expected)


def test_the_runtime_package_is_bundled_whole_without_the_operator_cli(lambda_asset_dir: Path) -> None:
    package = lambda_asset_dir / PACKAGE
    assert sorted(path.name for path in package.iterdir()) == RUNTIME_ENTRIES
    assert [path for path in package.rglob("*") if path.is_dir() and path.name in OLD_OPERATOR_DIRS] == []
    assert list(lambda_asset_dir.rglob(f"{OPERATOR_CLI}*")) == []


def test_the_runtime_package_never_imports_the_operator_cli() -> None:
    """``alarm_bot_cli`` imports ``alarm_bot``, never the other way round: the asset does not hold it."""
    importers = []
    for path in sorted((LAMBDA_DIR / PACKAGE).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            if any(module.split(".")[0] == OPERATOR_CLI for module in modules):
                importers.append(f"{path.relative_to(LAMBDA_DIR)}:{node.lineno}")
    assert importers == []


def test_compiled_extensions_are_for_aarch64(lambda_asset_dir: Path) -> None:
    extensions = sorted(lambda_asset_dir.rglob("*.so"))
    assert any("aarch64" in path.name for path in extensions), extensions
    cryptography = [path for path in extensions if "cryptography" in path.parts]
    assert cryptography, "cryptography ships no compiled extension?"
    assert {elf_machine(path) for path in extensions} == {ELF_MACHINE_AARCH64}


@pytest.mark.parametrize("name", FORBIDDEN)
def test_no_dev_or_runtime_provided_package(lambda_asset_dir: Path, name: str) -> None:
    assert not (lambda_asset_dir / name).exists()
    assert not list(lambda_asset_dir.glob(f"{name}-*.dist-info"))


def test_no_tests_caches_or_scripts(lambda_asset_dir: Path) -> None:
    unwanted = [
        path.relative_to(lambda_asset_dir)
        for path in lambda_asset_dir.rglob("*")
        if path.name in {"tests", "__pycache__"} or path.suffix == ".pyc"
    ]
    assert unwanted == []
    assert not (lambda_asset_dir / "bin").exists()
    assert sorted(path.name for path in lambda_asset_dir.glob("*.egg-info")) == []


def test_pip_targets_the_lambda_platform(tmp_path: Path) -> None:
    command = PipLocalBundling().pip_command(tmp_path)
    assert command[1:4] == ["-m", "pip", "install"]
    for flag, value in [
        ("--target", str(tmp_path)),
        ("--platform", "manylinux2014_aarch64"),
        ("--implementation", "cp"),
        ("--python-version", "3.14"),
    ]:
        assert command[command.index(flag) + 1] == value
    assert {"--only-binary=:all:", "--no-compile"} <= set(command)
    assert command[-1].endswith("lambda/requirements.txt")


def test_pip_failure_is_reported_with_its_output(tmp_path: Path) -> None:
    source = tmp_path / "lambda"
    (source / "alarm_bot").mkdir(parents=True)
    (source / "alarm_bot" / "__init__.py").write_text("")
    (source / "requirements.txt").write_text("this is not === a requirement\n")
    bundling = PipLocalBundling(source)
    with pytest.raises(RuntimeError, match=r"pip exited with \d+[\s\S]*Invalid requirement"):
        bundling.try_bundle(str(tmp_path / "out"), image=RUNTIME.bundling_image)


def test_prune_keeps_code_and_drops_the_rest(tmp_path: Path) -> None:
    for relative in ["bin/normalizer", "certifi/tests/test_x.py", "pkg/__pycache__/m.pyc", "pkg/m.pyc"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    (tmp_path / "pkg/m.py").write_text("")
    prune(tmp_path)
    remaining = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert remaining == ["certifi", "pkg", "pkg/m.py"]


def test_asset_hash_follows_sources_not_build_leftovers(tmp_path: Path) -> None:
    """The asset's SOURCE hash: caches must not redeploy the function, code changes must."""
    source = tmp_path / "lambda"
    shutil.copytree(LAMBDA_DIR, source, ignore=shutil.ignore_patterns(*HASH_EXCLUDES))

    def fingerprint() -> str:
        return FileSystem.fingerprint(str(source), exclude=list(HASH_EXCLUDES))

    before = fingerprint()
    (source / "alarm_bot/__pycache__").mkdir()
    (source / "alarm_bot/__pycache__/settings.cpython-314.pyc").write_bytes(b"\0")
    (source / "aws_alarm_chat_bot.egg-info").mkdir(exist_ok=True)
    (source / "aws_alarm_chat_bot.egg-info/PKG-INFO").write_text("Name: x\n")
    assert fingerprint() == before
    with (source / "requirements.txt").open("a") as requirements:
        requirements.write("# changed\n")
    assert fingerprint() != before
