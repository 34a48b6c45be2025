"""Charts of an alarm's metric around its state change, for the image on an alarm card.

Pure builders (:mod:`.widget`, :mod:`.widget_series`, :mod:`.ids`) say *what* to draw and how a
chart is named; :mod:`.render` asks CloudWatch to draw it and keeps the PNG, within a time budget;
:mod:`.storage` is the bucket. The image is served by :mod:`alarm_bot.handlers.chart_images`.
An edge: may import :mod:`alarm_bot.alarms` and the leaf modules, never ``chat``, ``delivery``,
``handlers`` nor the other edges (``cloudwatch``, ``settings``, ``store``).
"""
