"""Asset size: the zipped Lambda asset against the wheels of the third-party packages it carries.

Builds the asset exactly as `cdk synth` does (chatbot_stack.bundling.PipLocalBundling), zips it as
CDK does (deflate), downloads the same pinned wheels for the Lambda platform, and prints the size,
the ratio (target ≤ 1.10) and the five largest contributors.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from _report import ROOT, figure, finish

from chatbot_stack.bundling import PipLocalBundling

TARGET_RATIO = 1.10


def build_asset(work: Path) -> Path:
    output = work / "asset"
    output.mkdir()
    PipLocalBundling().try_bundle(str(output), image=None)  # type: ignore[arg-type]
    return output


def zip_asset(asset: Path, destination: Path) -> dict[str, int]:
    """Zip like CDK (deflate, level 9); returns compressed bytes per top-level entry."""
    sizes: Counter[str] = Counter()
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(asset.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(asset))
    with zipfile.ZipFile(destination) as archive:
        for info in archive.infolist():
            top = info.filename.split("/", 1)[0]
            sizes[top] += info.compress_size
    return dict(sizes)


def wheel_bytes(work: Path) -> int:
    wheels = work / "wheels"
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--disable-pip-version-check",
        "--platform",
        "manylinux2014_aarch64",
        "--implementation",
        "cp",
        "--python-version",
        "3.14",
        "--only-binary=:all:",
        "-d",
        str(wheels),
        "-r",
        str(ROOT / "lambda" / "requirements.txt"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"pip download failed:\n{result.stderr}")
    return sum(path.stat().st_size for path in wheels.glob("*.whl"))


def main() -> None:
    print("Asset size (linux/aarch64, CPython 3.14)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        asset = build_asset(work)
        archive = work / "asset.zip"
        contributors = zip_asset(asset, archive)
        zipped = archive.stat().st_size
        wheels = wheel_bytes(work)
    ratio = zipped / wheels
    figure("zipped asset", f"{zipped / 1e6:.2f} MB")
    figure("third-party wheels it must carry", f"{wheels / 1e6:.2f} MB")
    figure("asset / wheels", f"{ratio:.3f}x", f"<= {TARGET_RATIO:.2f}x", ratio <= TARGET_RATIO)
    own = sum(size for name, size in contributors.items() if name == "alarm_bot")
    figure("the project's own code (alarm_bot, zipped)", f"{own / 1e3:.0f} kB")
    print("  five largest contributors (zipped):")
    for name, size in sorted(contributors.items(), key=lambda item: -item[1])[:5]:
        print(f"    {name:<40} {size / 1e6:8.2f} MB")
    finish("asset size")


if __name__ == "__main__":
    main()
