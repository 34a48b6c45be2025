"""DynamoDB: the subscribed spaces, each space's outbox, digests and alarm cards (an edge).

Each module reads and writes one kind of item and turns it into the domain's values. May import
:mod:`alarm_bot.alarms` and the leaf modules; never ``chat``, ``delivery``, ``handlers`` nor the
other edges (``charts``, ``cloudwatch``, ``settings``).
"""
