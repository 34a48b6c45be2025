"""The Chat function's work: read a Google Chat event, act on it, and choose the reply.

Verifying the caller, parsing events and commands, the commands themselves, ``status`` and the
alarm cards' button clicks. May import :mod:`alarm_bot.alarms`, the edges it needs
(:mod:`alarm_bot.store`, :mod:`alarm_bot.settings`) and the leaf modules; never
:mod:`alarm_bot.delivery` (its sibling: what both need lives below them) nor ``handlers``.
"""
