"""``python -m alarm_bot.cli``: the same as the ``alarm-bot`` console script."""

from alarm_bot.cli import main

raise SystemExit(main())
