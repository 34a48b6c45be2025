# The two commands a newcomer needs: `make deploy` and `make test`.
# Everything else is installed on first use into .venv/ and node_modules/.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
DEPLOY_STAMP := $(VENV)/.installed-deploy
NODE_STAMP := node_modules/.installed
CDK := PATH="$(CURDIR)/$(BIN):$$PATH" npx --no-install cdk
# jsii's many-line Node banner is replaced by one line of our own (node-version below).
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# The Node.js majors the pinned CDK (aws-cdk-lib's jsii runtime) supports.
NODE_MAJORS := 22 24
# The app has two stacks: the bot, and the forwarder deployed where other regions' alarms are.
BOT_STACK := AlarmChatBot
FORWARDER_STACK := AlarmChatBotForwarder
STACK ?= $(BOT_STACK)
PREFLIGHT := $(BIN)/alarm-bot preflight

.PHONY: help install deploy-install node-version preflight bootstrap deploy deploy-forwarder synth diff \
	destroy test lint typecheck unit bench screenshots demo clean

help:  ## List the targets.
	@awk -F':.*## ' '/^[a-z][a-z-]*:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(PY_STAMP) $(NODE_STAMP)  ## Everything: what deploying needs, plus the test and lint tools.

deploy-install: $(DEPLOY_STAMP) $(NODE_STAMP)  ## Only what deploying needs (runtime, CDK, alarm-bot).

# The deploy set: the runtime, the CDK library and the alarm-bot command (pyproject's `cdk` extra).
$(DEPLOY_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[cdk]'
	touch $@

# The test set adds pytest, moto, mypy, ruff, cfn-lint… (the `dev` extra, which includes `cdk`).
$(PY_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(DEPLOY_STAMP) $@

$(NODE_STAMP): package.json package-lock.json
	@$(MAKE) --no-print-directory node-version
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-version:  ## Say in one line when Node.js is not a version the pinned CDK supports.
	@major="$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" || \
		{ echo "make: Node.js is not installed: install Node.js $(firstword $(NODE_MAJORS)) or $(lastword $(NODE_MAJORS)) (with npm)" >&2; exit 1; }; \
	case " $(NODE_MAJORS) " in *" $$major "*) ;; \
		*) echo "make: Node.js $$(node --version) is not supported by the pinned CDK (it supports $(firstword $(NODE_MAJORS)) and $(lastword $(NODE_MAJORS))); it may work, but install Node.js $(lastword $(NODE_MAJORS)) to be safe" >&2;; esac

preflight: $(DEPLOY_STAMP)  ## Check credentials, region, bootstrap and chatAudience in a second or two.
	@$(PREFLIGHT) --cdk-args="$(CDK_ARGS)"

bootstrap: deploy-install  ## Create or upgrade the CDK bootstrap stack in this account and region.
	$(CDK) bootstrap $(CDK_ARGS)

deploy: deploy-install  ## Deploy the bot into the current AWS account and region.
	@# The preflight stops at once with one line per problem; exit 3 means only the CDK bootstrap
	@# is missing or old, which a first deployment into an account and region creates itself.
	@status=0; $(PREFLIGHT) --cdk-args="$(CDK_ARGS)" || status=$$?; \
	if [ $$status -eq 3 ]; then echo "make deploy: bootstrapping this account and region first (make bootstrap)"; \
		$(CDK) bootstrap $(CDK_ARGS) || exit 1; \
	elif [ $$status -ne 0 ]; then exit $$status; fi
	$(CDK) deploy $(BOT_STACK) $(CDK_ARGS)

deploy-forwarder: deploy-install  ## Forward alarms of this account's other regions to the bot: REGIONS="eu-west-1 us-east-1".
	@# One AlarmChatBotForwarder stack per region, no CDK bootstrap needed there (chatbot_stack/
	@# forwarder.py). The bus ARN is the bot stack's AlarmEventBusArn output, read in BOT_REGION
	@# (default: the shell's region), unless ALARM_BUS_ARN gives it. The bot's own region is skipped.
	@# --exclusively: only this stack is synthesized with bundling, so the Lambda asset is not built.
	@test -n "$(strip $(REGIONS))" || { echo 'Name the regions: make deploy-forwarder REGIONS="eu-west-1 us-east-1"' >&2; exit 1; }
	@bus_arn="$(ALARM_BUS_ARN)"; \
	if [ -z "$$bus_arn" ]; then \
		bus_arn="$$($(BIN)/python -m chatbot_stack.deployed_bus $(if $(BOT_REGION),--region $(BOT_REGION)))" || exit 1; \
	fi; \
	bus_region="$$(echo "$$bus_arn" | cut -d: -f4)"; \
	for region in $(REGIONS); do \
		if [ "$$region" = "$$bus_region" ]; then echo "== $$region: skipped, the bot itself runs there"; continue; fi; \
		echo "== $$region: $(FORWARDER_STACK) -> $$bus_arn"; \
		AWS_REGION="$$region" AWS_DEFAULT_REGION="$$region" $(CDK) deploy $(FORWARDER_STACK) --exclusively \
			--parameters "AlarmBusArn=$$bus_arn" $(CDK_ARGS) || exit 1; \
	done

synth: deploy-install  ## Write both CloudFormation templates to cdk.out/ (no Docker, no AWS credentials).
	@# Needs the Chat app's project: make synth CDK_ARGS="-c chatAudience=123456789012".
	$(CDK) synth --quiet $(CDK_ARGS)
	@echo "Templates (environment-agnostic: any account and region):"
	@echo "  cdk.out/$(BOT_STACK).template.json           the bot"
	@echo "  cdk.out/$(FORWARDER_STACK).template.json   the forwarder (needs no bootstrap; StackSet-ready)"

diff: deploy-install  ## Compare a stack with what is deployed (STACK=AlarmChatBotForwarder for the forwarder).
	$(CDK) diff $(STACK) $(CDK_ARGS)

destroy: deploy-install  ## Delete a stack (STACK=, default the bot); the table and secret are kept.
	$(CDK) destroy $(STACK) $(CDK_ARGS)

lint: $(PY_STAMP)  ## ruff (lint and format check) and lint-imports (imports only point down).
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(PY_STAMP)  ## mypy, strict.
	$(BIN)/mypy

unit: $(PY_STAMP)  ## The tests (PYTEST_ARGS="tests/chat -k mute" for some of them).
	$(BIN)/pytest $(PYTEST_ARGS)

test: install lint typecheck unit  ## Everything CI runs.

bench: $(PY_STAMP)  ## Performance targets (issue-style figures with ratios); not part of `make test`.
	@status=0; for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || status=1; done; exit $$status

# The README's pictures (docs/screenshots/<name>.png and pictures.sha256, the digests of the pages
# and PNGs that the tests compare): real messages drawn by the preview
# (alarm_bot_cli/preview_gallery.py) and photographed by headless Chromium. Debian's
# chromium and the fonts the pictures use (Korean, emoji, Roboto) are installed first when missing:
# with apt-get as root, else the sudo command is printed. CHROMIUM=/path picks another browser.
screenshots: $(DEPLOY_STAMP)  ## Redraw the README's card pictures into docs/screenshots/ (installs chromium).
	@missing=""; \
	[ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || missing=" chromium"; \
	fc-list :lang=ko 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -qi "color emoji" || missing="$$missing fonts-noto-color-emoji"; \
	fc-list 2>/dev/null | grep -qi "roboto" || missing="$$missing fonts-roboto-unhinted"; \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null 2>&1; then \
			echo "make screenshots: missing$$missing: install Chromium and those fonts, or set CHROMIUM=/path/to/chrome" >&2; exit 1; \
		elif [ "$$(id -u)" -ne 0 ]; then \
			echo "make screenshots: missing$$missing: run sudo apt-get install -y$$missing" >&2; exit 1; \
		fi; \
		echo "make screenshots: installing$$missing"; \
		apt-get install -y $$missing || { apt-get update && apt-get install -y $$missing; } || exit 1; \
	fi
	$(BIN)/python -m alarm_bot_cli.preview_gallery docs/screenshots

# The whole bot on 127.0.0.1 with no accounts (playground/): moto for AWS, stand-ins for Google,
# the real handlers, and a page that plays Google Chat. Ctrl-C stops every process it started.
demo: $(PY_STAMP)  ## Try the bot locally, no accounts: open the URL it prints (DEMO_PORT=8765, DEMO_LOCALE=ko).
	@$(BIN)/python -m playground

clean:  ## Remove build and tool caches (not .venv or node_modules).
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
