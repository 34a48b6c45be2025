"""A local playground: the whole bot on 127.0.0.1, with no AWS account and no Google Cloud project.

``make demo`` (``python -m playground``) starts the real handlers the stack deploys, each in a
process of its own with the environment the stack gives it, and everything they talk to:

* AWS: moto's server in a child process (:mod:`playground.moto_server`), with the table, the alarm
  topic and its subscription to the delivery queue, the dead-letter queue, the secret holding a
  generated service-account key, and CloudWatch alarms for ``status`` (:mod:`playground.aws_setup`);
* Google: the Chat API and its token endpoint (``tests.support.chat_api.FakeChatApi``) and the
  certificates Chat signs its requests with (``tests.support.google_tokens.FakeGoogleCerts``);
* the Chat function behind an HTTP endpoint that turns requests into API Gateway events, and the
  delivery function fed from the queue by a poller like Lambda's (:mod:`playground.function_host`);
* a web page that plays Google Chat (:mod:`playground.web`): spaces, threads and cards drawn by
  :mod:`alarm_bot_cli.preview`, a composer for commands, and buttons that fire sample alarms.
"""
