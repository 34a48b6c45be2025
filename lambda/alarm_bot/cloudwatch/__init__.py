"""CloudWatch's alarms read by the bot (an edge: the only runtime package that asks CloudWatch about alarms).

``status`` lists what is in ALARM right now (:mod:`.firing_alarms`, ``DescribeAlarms``); the answer is
turned into the pure values of :mod:`alarm_bot.alarms.firing`, which is where the rest of the bot
meets it. May import :mod:`alarm_bot.alarms` and the base modules, never ``chat``, ``delivery``,
``store``, ``charts`` or ``handlers``. Charts, which CloudWatch also draws, are :mod:`alarm_bot.charts`.
"""
