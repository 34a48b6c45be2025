"""The Lambda asset: built without Docker, for linux/aarch64, and holding nothing but runtime code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from aws_cdk import FileSystem

from chatbot_stack.bundling import HASH_EXCLUDES, LAMBDA_DIR, RUNTIME, PipLocalBundling, prune

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
