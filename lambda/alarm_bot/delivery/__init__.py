"""The fan-out's work: from a notification to a message in every space that wants it, within Chat's limits.

Routing to spaces, the outbox and digests of a storm, the write budgets, the Chat API client and
the charts on cards. May import :mod:`alarm_bot.alarms`, the edges (:mod:`alarm_bot.store`,
:mod:`alarm_bot.charts`, :mod:`alarm_bot.settings`) and the leaf modules; never :mod:`alarm_bot.chat`
(its sibling: what both need lives below them) nor ``handlers``.
"""
