"""The Lambda entry points: the Chat endpoint, the alarm fan-out and the chart images.

Each handler reads its settings, wires the real stores and clients (lazily, for cold starts; see
``PREWARM_MODULES`` and :mod:`alarm_bot.snapstart`) and hands the event over. The top layer: it may
import every other package of :mod:`alarm_bot`, and none imports it.
"""
