"""The bot's runtime: what the Lambda asset holds (the operator's CLI, ``alarm_bot_cli``, is never in it).

Imports only point down, in layers (``[tool.importlinter]`` in pyproject.toml; ``make lint`` checks):
``handlers`` → ``chat`` | ``delivery`` → ``charts`` | ``cloudwatch`` | ``settings`` | ``store`` →
``alarms`` → the leaf modules (``env_names``, ``i18n``, ``keep_warm``, ``literal``, ``log_lines``,
``snapstart``, ``space_names``, ``timefmt``, ``whole_text``). Siblings joined by ``|`` never import
each other, and nothing here imports ``alarm_bot_cli``.
"""
