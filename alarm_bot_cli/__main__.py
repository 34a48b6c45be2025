"""``python -m alarm_bot_cli``: the same as the ``alarm-bot`` console script."""

from alarm_bot_cli import main

raise SystemExit(main())
