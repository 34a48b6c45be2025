#!/usr/bin/env python3
"""CDK entry point (``cdk.json`` runs it): settings from context, one stack, cdk-nag on everything."""

import os

from aws_cdk import App, Environment

from chatbot_stack.config import BotConfig
from chatbot_stack.nag import apply_nag
from chatbot_stack.stack import STACK_ID, AlarmChatBotStack

app = App()
try:
    config = BotConfig.from_context(app.node)
except ValueError as error:
    raise SystemExit(f"Invalid CDK context: {error}") from None
AlarmChatBotStack(
    app,
    STACK_ID,
    config=config,
    # Both unset without AWS credentials: the template is then environment-agnostic.
    env=Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION")),
)
apply_nag(app)
app.synth()
