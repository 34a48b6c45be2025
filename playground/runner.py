"""Starting the whole playground in order, saying where it is, and stopping all of it.

Order matters once: the functions need AWS (moto, provisioned) and Google (the certificates, the
Chat API stand-in) before they start, and the page needs the Chat endpoint's address. Stopping
goes the other way, and always completes: whatever was started is stopped, also when starting
failed half-way or Ctrl-C came in the middle.
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alarm_bot.i18n import Translator
from playground.alarm_intake import AlarmIntake
from playground.app import Playground
from playground.aws_setup import provision
from playground.config import (
    CHAT_FUNCTION,
    CHAT_MEMORY_MB,
    CHAT_TIMEOUT_SECONDS,
    DELIVERY_FUNCTION,
    DELIVERY_MEMORY_MB,
    Options,
    Wiring,
    base_environment,
    chat_environment,
    delivery_environment,
    lambda_environment,
    stack_context,
)
from playground.google_chat import GoogleChat
from playground.processes import ChildProcess
from playground.web import PageServer
from tests.support.chat_api import FakeChatApi
from tests.support.google_tokens import FakeGoogleCerts

READY_TIMEOUT = 90.0  # a cold machine imports boto3, moto and google-auth for the first time
BOT_USER = "users/app"  # how the Chat API stand-in names the app as a sender


class PortTaken(OSError):
    """DEMO_PORT is in use by another program."""


@dataclass
class Running:
    """Everything started so far, in the order it was started."""

    run_dir: Path
    children: list[ChildProcess] = field(default_factory=list)
    servers: list[Any] = field(default_factory=list)  # FakeChatApi, FakeGoogleCerts: .stop()
    chat: GoogleChat | None = None
    page: PageServer | None = None
    endpoint_url: str = ""
    moto_url: str = ""
    chat_api_url: str = ""

    def child(self, name: str) -> ChildProcess:
        return next(child for child in self.children if child.name == name)


def start(options: Options) -> Running:
    """The whole playground; on any failure everything already started is stopped again."""
    check_port(options.port)
    running = Running(run_dir=Path(tempfile.mkdtemp(prefix="alarm-bot-playground-")))
    try:
        _start(options, running)
    except BaseException:
        stop(running)
        raise
    return running


def _start(options: Options, running: Running) -> None:
    context = stack_context(options)
    moto = _child(running, "moto", ["playground.moto_server"], base_environment())
    api, certs = FakeChatApi().start(), FakeGoogleCerts().start()
    running.servers += [api, certs]
    running.moto_url, running.chat_api_url = moto.wait_ready(READY_TIMEOUT)["url"], api.url
    timeout = int(context.get("fanoutTimeoutSeconds", 90))
    resources = provision(running.moto_url, api.service_account().info, timeout)
    wiring = Wiring(
        running.moto_url,
        certs.url,
        api.url,
        resources.table,
        resources.secret_arn,
        resources.queue_url,
        resources.dead_letter_url,
    )
    chat_env = lambda_environment(CHAT_FUNCTION, CHAT_MEMORY_MB, running.moto_url) | chat_environment(
        context, wiring
    )
    delivery_env = lambda_environment(
        DELIVERY_FUNCTION, DELIVERY_MEMORY_MB, running.moto_url
    ) | delivery_environment(context, wiring)
    chat = _child(running, "chat", ["playground.function_host", "chat", str(CHAT_TIMEOUT_SECONDS)], chat_env)
    delivery = _child(
        running, "delivery", ["playground.function_host", "delivery", str(timeout)], delivery_env
    )
    running.endpoint_url = chat.wait_ready(READY_TIMEOUT)["url"]
    delivery.wait_ready(READY_TIMEOUT)
    locale = chat_env["LOCALE"]
    bot = {
        "name": BOT_USER,
        "displayName": Translator(locale if locale in ("en", "ko") else "en")("app_name"),
    }
    running.chat = GoogleChat(
        api, certs, running.endpoint_url, bot, locale=locale, time_zone=chat_env["TIME_ZONE"]
    )
    intake = AlarmIntake(running.moto_url, resources)
    running.page = PageServer(Playground(running.chat, intake, api, locale), options.port).start()


def stop(running: Running, *, keep_logs: bool = True) -> None:
    """Stop the page, the functions, moto and the stand-ins, in that order; never raises. The logs
    go too after a clean stop (``keep_logs=False``); after a failure they stay, to be read."""
    if running.page is not None:
        with suppress(Exception):
            running.page.stop()
    if running.chat is not None:
        with suppress(Exception):
            running.chat.close()
    for child in reversed(running.children):
        with suppress(Exception):
            child.stop()
    for server in reversed(running.servers):
        with suppress(Exception):
            server.stop()
    if not keep_logs:
        shutil.rmtree(running.run_dir, ignore_errors=True)


def check_port(port: int) -> None:
    """Fail at once, before starting anything, when the page's port is taken."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the page's server will bind it
    try:
        probe.bind(("127.0.0.1", port))
    except OSError as error:
        raise PortTaken(
            f"port {port} on 127.0.0.1 is in use: choose another, e.g. make demo DEMO_PORT={port + 1}"
        ) from error
    finally:
        probe.close()


def banner(running: Running) -> str:
    """What the terminal shows once everything runs: the page first, then where each part is."""
    assert running.page is not None
    logs = ", ".join(child.log_path.name for child in running.children)
    pids = ", ".join(f"{child.name} {child.pid}" for child in running.children)
    return "\n".join(
        [
            f"Playground: {running.page.url}",
            "  The bot's own handlers on 127.0.0.1: no AWS account, no Google project, no internet.",
            f"  Chat endpoint  {running.endpoint_url}  (API Gateway events to the Chat function)",
            f"  AWS (moto)     {running.moto_url}  (table, topic, queues, secret, CloudWatch)",
            f"  Chat API       {running.chat_api_url}  (Google's stand-in, with its token endpoint)",
            f"  Logs           {running.run_dir}/ ({logs}; removed when it stops)",
            f"  Processes      {pids}",
            "Press Ctrl-C to stop.",
        ]
    )


def _child(running: Running, name: str, module: list[str], env: dict[str, str]) -> ChildProcess:
    child = ChildProcess(name, [sys.executable, "-m", *module], env, running.run_dir / f"{name}.log")
    running.children.append(child)
    return child
