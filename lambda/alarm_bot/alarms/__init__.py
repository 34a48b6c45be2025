"""The pure domain: alarms and other notifications, parsed, routed and drawn as Chat cards.

Parsing (``parse*``), the model and its codec, filters and routing, the space record, the firing
list and the cards (``render*``, ``card_*``, ``digest_rows``) are functions of their inputs: no
I/O, no AWS, no clock. May import only the leaf modules of :mod:`alarm_bot` (``timefmt``,
``literal``, ``whole_text``, ``keep_warm``…); everything else in the runtime may import it.
"""
