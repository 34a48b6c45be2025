"""The long help of each ``alarm-bot`` command (``alarm-bot COMMAND --help``), kept out of the parser.

Each says what the command does and, where it matters, what it does not: an operator reads these
instead of the code.
"""

from __future__ import annotations

RENDER_HELP = """\
FILE may hold an SNS Lambda event, a bare SNS message body (CloudWatch alarm JSON or plain text),
an EventBridge event, or a CloudWatch Lambda alarm-action event; "-" reads standard input.

Prints the Google Chat API Message (JSON) a space is sent, built by the delivery code: one JSON
object when FILE holds one notification, or a JSON array of messages when it holds several (an SNS
event with several records). An ALARM card has its Acknowledge and Mute buttons, addressed as a
classic Chat app's (--add-on URL: as a Workspace add-on's, to that endpoint). Input that is not
JSON (text, empty, binary) is rendered as the plain-text notification the bot posts, with one
warning line on stderr.

What differs from a live delivery:
  - no "thread": delivery adds {"threadKey": ...} so that an alarm's changes share one thread;
  - no requestId (nor messageReplyOption): they are query parameters of the create call, not part
    of the message;
  - the card as first posted: later edits (acknowledged, muted, resolved) are not shown;
  - one card per notification: in a burst a space may get several alarms as one digest instead,
    and a change older than what the space shows as a one-line note;
  - the mention only with --mention (ALARM cards only), locale and time zone from the options
    below, not from a deployment.
"""
PREVIEW_HELP = """\
Draws the message of `alarm-bot render` as Google Chat shows it: the text line above the card,
the header, sections, icons, coloured state, buttons. FILE is what render reads, or a Chat message
already rendered (a JSON object with text or cardsV2, such as render prints), or a JSON list of
messages, drawn as one thread: the first message with its replies under it. --as decides when the
guess is wrong (a bare {"text": ...} is taken as a message).

Writes one self-contained HTML page (inline CSS and icons, no script, no web fonts) to --html, or
to standard output. --png also takes a picture with headless Chromium (Debian: `sudo apt-get
install chromium`; CHROMIUM=/path picks another binary), twice the page's pixel size for sharp
README images; without Chromium the HTML is still written and the command exits 1.

The drawing is close to Chat's, not Chat itself: fonts are the system's, Material icons are drawn
by the preview (a neutral square for an icon it does not know), images a card names load from
their URL when the page is opened, and collapsed sections and menus show as a space first sees
them. Card text keeps only what Chat renders (<b> <i> <u> <s> <font color> <a href> <br>, http(s)
links); anything else shows as typed.
"""
ATTACH_HELP = """\
Adds the bot's alarm topic (stack output AlarmTopicArn) to the "In alarm" and "OK" actions of the
existing metric and composite alarms whose names start with a prefix. Everything else about each
alarm is kept as it is; alarms that already notify the topic are left alone. Run with --dry-run
first to see the plan.
"""
DETACH_HELP = """\
Removes the bot's alarm topic from the actions of the alarms whose names start with a prefix, and
changes nothing else. Alarms that do not notify the topic are left alone.
"""
TEST_HELP = """\
Publishes a realistic CloudWatch alarm notification to the bot's topic, as CloudWatch itself would,
so a space can see a card arrive. Send --state OK afterwards to see the recovery in the same thread.
"""
SPACES_HELP = """\
list (the default): the Chat spaces the bot posts to, with their filters and mutes.
remove SPACE: forget a space and everything stored for it (the bot stays a member in Chat).
"""
REDRIVE_HELP = """\
Delivers again the notifications waiting in the dead-letter queue, from this machine, with the
fan-out function's own code and settings. A message is deleted from the queue only once every
space got it; spaces that already have it do not get it twice. Set CHAT_API_BASE_URL to use another
Chat API endpoint (tests).
"""
PREFLIGHT_HELP = """\
Checks in a second or two what `make deploy` needs, before it starts: AWS credentials that work
(STS GetCallerIdentity), the account, a region (--region, AWS_REGION, AWS_DEFAULT_REGION, then the
profile's), the CDK bootstrap of that account and region (SSM parameter
/cdk-bootstrap/<qualifier>/version, version 6 or newer), and the Chat audience in the CDK context
(chatAudience or addOnProjectNumber, from ./cdk.json or --cdk-json, overridden by -c pairs).
Prints one line on success; otherwise one line per problem on stderr, naming the fix, and exits 1,
or 3 when the only problem is a missing or outdated bootstrap (`make deploy` then bootstraps first).
"""
DOCTOR_HELP = """\
Checks the deployment end to end (stack, Google key and token, topic encryption, endpoint,
spaces, dead-letter queue, the bot's own alarms) and prints what to fix. Exit status 1 if a check
fails.
"""
