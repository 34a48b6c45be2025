# The two commands a newcomer needs: `make deploy` and `make test`.
# Everything else is installed on first use into .venv/ and node_modules/.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CDK := PATH="$(CURDIR)/$(BIN):$$PATH" npx --no-install cdk
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: install deploy synth diff destroy test lint typecheck unit bench clean

install: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deploy: install  ## Deploy the bot into the current AWS account and region.
	@# A first deployment into an account/region needs the CDK bootstrap stack; create it if missing.
	@$(BIN)/python -c "import boto3; boto3.client('cloudformation').describe_stacks(StackName='CDKToolkit')" \
		>/dev/null 2>&1 || $(CDK) bootstrap $(CDK_ARGS)
	$(CDK) deploy $(CDK_ARGS)

synth: install  ## Write the CloudFormation template to cdk.out/ (no Docker, no AWS credentials).
	@# Needs the Chat app's project: make synth CDK_ARGS="-c chatAudience=123456789012".
	$(CDK) synth --quiet $(CDK_ARGS)
	@echo "Template: cdk.out/AlarmChatBot.template.json (environment-agnostic: any account and region)"

diff: install
	$(CDK) diff $(CDK_ARGS)

destroy: install
	$(CDK) destroy $(CDK_ARGS)

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(PY_STAMP)
	$(BIN)/mypy

unit: $(PY_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: install lint typecheck unit  ## Everything CI runs.

bench: $(PY_STAMP)  ## Performance targets (issue-style figures with ratios); not part of `make test`.
	@status=0; for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || status=1; done; exit $$status

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache
