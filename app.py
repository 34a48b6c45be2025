#!/usr/bin/env python3
"""CDK entry point (``cdk.json`` runs it): settings from context, two stacks, cdk-nag on everything.

``AlarmChatBot`` is the bot; ``AlarmChatBotForwarder`` (chatbot_stack/forwarder.py) is deployed in
the other regions and accounts whose alarms it forwards to the bot's event bus.
"""

import sys

from aws_cdk import App

from chatbot_stack.config import BotConfig
from chatbot_stack.forwarder import FORWARDER_STACK_ID, AlarmForwarderStack, ForwarderConfig
from chatbot_stack.nag import apply_nag
from chatbot_stack.stack import STACK_ID, AlarmChatBotStack

app = App()
try:
    config = BotConfig.from_context(app.node)
    forwarder_config = ForwarderConfig.from_context(app.node)
except ValueError as error:
    # One line on stderr and exit status 1, no traceback: the CDK CLI shows it as the reason.
    print(f"Invalid CDK context: {error}", file=sys.stderr)
    raise SystemExit(1) from None
# No ``env``: the CLI always sets CDK_DEFAULT_REGION (us-east-1 when the shell has none), and a stack
# bound to it would carry that region and the account as literals. Environment-agnostic, the template
# names them with AWS::Region / AWS::AccountId and deploys into whatever account and region the
# shell's credentials select; nothing in the stack needs to know them at synth time.
AlarmChatBotStack(app, STACK_ID, config=config)
AlarmForwarderStack(app, FORWARDER_STACK_ID, config=forwarder_config)
apply_nag(app)
app.synth()
