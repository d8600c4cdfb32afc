from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from interurps.api import services


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <jeton>` with a personal token made on « Mon compte »."""

    keyword = "bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization invalide : « Bearer <jeton> » attendu."
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Jeton invalide.") from exc
        found = services.api_token_user(raw)
        if found is None:
            raise exceptions.AuthenticationFailed("Jeton invalide, révoqué ou compte inactif.")
        return found

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema (an HTTP bearer scheme)."""

    target_class = ApiTokenAuthentication
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton personnel créé sur « Mon compte » › « Jetons d'API ».",
        }


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session (the documentation page's « Try it out »), CSRF checked.

    The CSRF check reads Django's own request, so that a form-encoded POST to a read-only
    endpoint is answered 405 (or 403) rather than 415 by the JSON-only parser.
    """

    def enforce_csrf(self, request):
        return super().enforce_csrf(request._request)


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
