"""API token authentication: `Authorization: Token <key>`, checked against the key's hash."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions

from .services import api_token_authenticate

KEYWORDS = {b"token", b"bearer"}


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Accepts a token its user made on their account page, until it expires or is revoked."""

    keyword = "Token"

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Token <key>', with nothing else."
            )
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            key = ""
        token = api_token_authenticate(key=key) if key else None
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token does not work: it may be mistyped, expired or revoked. Make a new "
                "one on your account page."
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token to the OpenAPI document (registered by being defined)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=ApiTokenAuthentication.keyword
        )
