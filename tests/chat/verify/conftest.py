"""The verifier tests' keys, certificate servers, clock, cache and verifiers, from the token rig."""

from tests.support.chat_token_rig import (  # noqa: F401 - fixtures
    addon_verifier,
    cache,
    chat,
    chat_key,
    clock,
    oidc,
    oidc_key,
    project_verifier,
    url_verifier,
)
