"""Builds the Lambda asset with pip on this machine, so ``cdk synth`` needs no Docker.

pip downloads the manylinux aarch64 / CPython 3.14 wheels pinned in ``lambda/requirements.txt``
(``--only-binary`` means nothing is compiled here, so the host's Python and CPU do not matter),
then the ``alarm_bot`` package is copied next to them. Only those two things enter the asset:
the test and development packages of this repository never do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Final

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

LAMBDA_DIR: Final = Path(__file__).resolve().parent.parent / "lambda"
PACKAGE: Final = "alarm_bot"
RUNTIME: Final = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE: Final = lambda_.Architecture.ARM_64

# Never part of the asset's source hash: build leftovers of an editable install or of test runs.
HASH_EXCLUDES: Final = ("*.egg-info", "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache")
# Removed from the asset: console scripts, bytecode and test suites some wheels ship.
PRUNED_DIRS: Final = frozenset({"__pycache__", "tests"})


@jsii.implements(ILocalBundling)
class PipLocalBundling:
    """CDK local bundling: ``try_bundle`` fills ``output_dir`` and returns True (Docker is never used)."""

    def __init__(
        self,
        source_dir: Path = LAMBDA_DIR,
        *,
        package: str = PACKAGE,
        platform: str = "manylinux2014_aarch64",
        python_version: str = "3.14",
    ) -> None:
        self._source_dir = source_dir
        self._package = package
        self._platform = platform
        self._python_version = python_version

    def try_bundle(self, output_dir: str, *, image: DockerImage, **options: Any) -> bool:
        """Install the requirements, copy the package, prune what the runtime never reads.

        ``image`` and the other bundling options only matter to Docker bundling.
        """
        del image, options
        output = Path(output_dir)
        self._install_requirements(output)
        self._copy_package(output)
        prune(output)
        return True

    def pip_command(self, output: Path) -> list[str]:
        """The pip invocation, kept in one place so a failure message can show it."""
        return [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--target",
            str(output),
            "--platform",
            self._platform,
            "--implementation",
            "cp",
            "--python-version",
            self._python_version,
            "--only-binary=:all:",
            "--no-compile",
            "--disable-pip-version-check",
            "--quiet",
            "-r",
            str(self._source_dir / "requirements.txt"),
        ]

    def _install_requirements(self, output: Path) -> None:
        command = self.pip_command(output)
        # Fixed arguments: this interpreter's pip and paths inside the repository.
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(
                f"Building the Lambda asset failed: pip exited with {result.returncode}.\n"
                f"Command: {' '.join(command)}\n{result.stderr.strip()}"
            )

    def _copy_package(self, output: Path) -> None:
        source = self._source_dir / self._package
        if not (source / "__init__.py").is_file():
            raise RuntimeError(f"Building the Lambda asset failed: {source} is not a Python package")
        shutil.copytree(
            source,
            output / self._package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tests"),
            dirs_exist_ok=True,
        )


def prune(output: Path) -> None:
    """Drop pip's ``bin/`` (console scripts), bytecode caches and bundled test suites."""
    shutil.rmtree(output / "bin", ignore_errors=True)
    doomed = [path for path in output.rglob("*") if path.is_dir() and path.name in PRUNED_DIRS]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    for path in output.rglob("*.pyc"):
        path.unlink()


def lambda_code() -> lambda_.Code:
    """The asset every bot function runs; CDK stages it once however many functions share it.

    The hash covers the ``lambda`` directory (``requirements.txt`` and the package sources), so the
    function is updated when either changes. Setting ``aws:cdk:bundling-stacks`` to ``[]`` skips the
    build, for quick synths in tests.
    """
    return lambda_.Code.from_asset(
        str(LAMBDA_DIR),
        asset_hash_type=AssetHashType.SOURCE,
        exclude=list(HASH_EXCLUDES),
        bundling=BundlingOptions(
            image=RUNTIME.bundling_image,
            local=PipLocalBundling(),  # Always bundles (or raises), so the image is never pulled.
        ),
    )
