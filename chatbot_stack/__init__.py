"""The bot's CDK constructs, composed by :class:`chatbot_stack.bot.AlarmChatBot`.

They read the runtime's own names and limits (``alarm_bot.env_names``, ``alarm_bot.settings``)
instead of repeating them, so ``alarm_bot`` must be importable: ``pip install -e .`` (``make
synth``, ``make deploy``) installs it; a checkout without that finds it next door, in ``lambda/``.
"""

import sys
from importlib.util import find_spec
from pathlib import Path

if find_spec("alarm_bot") is None:
    sys.path.append(str(Path(__file__).resolve().parent.parent / "lambda"))
