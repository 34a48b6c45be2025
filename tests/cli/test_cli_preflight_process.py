"""``alarm-bot preflight`` as ``make deploy`` runs it: a real process, timed.

AWS is moto's server on 127.0.0.1 (``AWS_ENDPOINT_URL``), or nothing at all: no credentials, or an
address that never answers, where the short timeouts must keep the whole run within seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.support.cli_runner import checkout_env

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
NO_CREDENTIALS = (
    "alarm-bot preflight: no AWS credentials: run `aws configure` or `aws sso login`, or set AWS_PROFILE\n"
)
# Python's start, botocore's models and one round trip take a second or two on an idle machine; the
# bound leaves room for a loaded CI host and is still far below botocore's defaults (60 s timeouts,
# retries), which are what it guards against.
QUICK_SECONDS = 10.0
READ_TIMEOUT = 3.0


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No AWS settings from the machine running the tests, no instance metadata, no proxies."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env = {key: value for key, value in env.items() if "proxy" not in key.lower()}
    (tmp_path / "config").write_text("", encoding="utf-8")
    (tmp_path / "credentials").write_text("", encoding="utf-8")
    return env | {
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": str(tmp_path),
        **extra,
    }


def preflight(env: dict[str, str], *argv: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "alarm_bot_cli", "preflight", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=checkout_env(env),
        cwd=REPO_ROOT / "lambda",  # no cdk.json here: the context is the command line's
        timeout=30,
    )
    return result, time.monotonic() - started


def fake_credentials(endpoint: str) -> dict[str, str]:
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
    }


def test_ready_to_deploy_in_a_second_or_two(moto_server: str, tmp_path: Path) -> None:
    env = clean_env(tmp_path, **fake_credentials(moto_server))
    ssm = boto3.client(
        "ssm", region_name=REGION, endpoint_url=moto_server, aws_access_key_id="t", aws_secret_access_key="t"
    )
    ssm.put_parameter(Name="/cdk-bootstrap/hnb659fds/version", Value="27", Type="String", Overwrite=True)
    result, seconds = preflight(env, "-c", "chatAudience=1234", "-c", "locale=ko")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"preflight: account 123456789012, region {REGION}, bootstrapped (version 27), "
        "chat audience project 1234\n"
    )
    assert seconds < QUICK_SECONDS, f"took {seconds:.1f} s"


def test_no_credentials(tmp_path: Path) -> None:
    env = clean_env(tmp_path, AWS_REGION=REGION, HTTPS_PROXY="http://127.0.0.1:9")
    result, seconds = preflight(env, "-c", "chatAudience=1234")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", NO_CREDENTIALS)
    assert seconds < QUICK_SECONDS, f"took {seconds:.1f} s"


@dataclass
class SilentEndpoint:
    """A port that accepts connections and never answers a request; it counts the connections."""

    url: str
    connections: list[socket.socket] = field(default_factory=list)


@pytest.fixture
def silent_endpoint() -> Iterator[SilentEndpoint]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        host, port = listener.getsockname()
        endpoint = SilentEndpoint(f"http://{host}:{port}")

        def accept() -> None:
            with contextlib.suppress(OSError):  # the listener closed: the test is over
                while True:
                    endpoint.connections.append(listener.accept()[0])

        threading.Thread(target=accept, daemon=True).start()
        yield endpoint
    for connection in endpoint.connections:
        connection.close()


def test_an_aws_that_never_answers_fails_within_the_timeouts(
    silent_endpoint: SilentEndpoint, tmp_path: Path
) -> None:
    """Read 3 s, one attempt, both questions at once: three seconds and a bit, not minutes."""
    env = clean_env(tmp_path, **fake_credentials(silent_endpoint.url))
    result, seconds = preflight(env, "-c", "chatAudience=1234")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"alarm-bot preflight: cannot reach AWS STS in {REGION} (Read timeout")
    assert result.stderr.endswith("): check your network and the region\n")
    assert result.stderr.count("\n") == 1
    assert len(silent_endpoint.connections) == 2, "one attempt each for STS and SSM, no retry"
    assert READ_TIMEOUT <= seconds < READ_TIMEOUT + QUICK_SECONDS, f"took {seconds:.1f} s"
