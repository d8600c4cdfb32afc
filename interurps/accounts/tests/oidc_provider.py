"""A real OpenID Connect provider for the tests, in the shape of Pro Santé Connect.

Built with authlib's authorization server (authorization code grant, OpenID Connect's
`OpenIDCode` extension, PKCE with `CodeChallenge(required=True)`), served by wsgiref on
127.0.0.1 on a free port in a thread. RS256 keys are generated per test session (joserfc).
It answers discovery, authorize (auto-approves for `provider.user`), token, userinfo (PSC's
claims: SubjectNameID = "8" + RPPS, preferred_username, given_name, family_name,
SubjectRefPro), JWKS and end_session (which records its calls).

`provider.mode` lets a test break it: "forged" signs ID tokens with another key under the
published key id; "expired" issues ID tokens that expired an hour ago; "wrong_nonce" puts
another nonce in the ID token.
"""

import json
import os
import secrets
import threading
import time
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

# The provider runs over plain HTTP on the loopback interface.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

KID = "cle-de-test"
ACR = "eidas1"


class Client:
    def __init__(self, client_id, client_secret, redirect_uris):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return scope

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_post", "client_secret_basic")

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"

    def check_response_type(self, response_type):
        return response_type == "code"


class AuthorizationCode:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return ACR

    def get_amr(self):
        return None


class Request(OAuth2Request):
    def __init__(self, method, uri, headers, data):
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def args(self):
        return self._data

    @property
    def form(self):
        return self._data


class Provider:
    """The provider's state: one client, the user it signs in, codes and tokens."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        self.codes = {}
        self.tokens = {}
        self.logouts = []
        self.authorize_requests = []
        self.mode = "normal"
        self.user = None
        self.client = None
        self.base_url = ""
        self.server = None

    # configuration --------------------------------------------------------------------

    def start(self):
        self.server = make_server("127.0.0.1", 0, self.wsgi, handler_class=_QuietHandler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.client = Client(
            "interurps-test",
            secrets.token_urlsafe(24),
            ["http://testserver/comptes/pro-sante-connect/retour/"],
        )
        self.authorization = _server(self)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def discovery_url(self):
        return f"{self.base_url}/.well-known/openid-configuration"

    def sign_in_as(self, *, rpps, first_name="Camille", last_name="Martin", email="", sub=None):
        """The professional the provider authenticates (auto-approved) from now on."""
        self.user = {
            "sub": sub or f"sub-{rpps}",
            "SubjectNameID": f"8{rpps}",
            "preferred_username": f"8{rpps}",
            "given_name": first_name,
            "family_name": last_name,
            "SubjectRefPro": {
                "codeCivilite": "M",
                "exercices": [{"codeProfession": "10", "libelleProfession": "Médecin"}],
            },
        }
        if email:
            self.user["email"] = email
        self.mode = "normal"

    def reset(self):
        self.codes.clear()
        self.tokens.clear()
        self.logouts.clear()
        self.authorize_requests.clear()
        self.mode = "normal"

    # WSGI -----------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"]
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        body = b""
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
        data = {**query, **dict(parse_qsl(body.decode()))}
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        uri = f"{self.base_url}{path}" + (f"?{environ['QUERY_STRING']}" if query else "")
        request = Request(method, uri, headers, data)

        if path == "/.well-known/openid-configuration":
            status, payload, extra = 200, self.discovery(), []
        elif path == "/jwks":
            status, payload, extra = 200, {"keys": [self.key.as_dict(private=False)]}, []
        elif path == "/authorize":
            self.authorize_requests.append(data)
            status, payload, extra = self.authorization.create_authorization_response(
                request, grant_user=self.user
            )
        elif path == "/token":
            status, payload, extra = self.authorization.create_token_response(request)
        elif path == "/userinfo":
            token = headers.get("Authorization", "").removeprefix("Bearer ")
            claims = self.tokens.get(token)
            status, payload, extra = (200, claims, []) if claims else (401, {"error": "x"}, [])
        elif path == "/logout":
            self.logouts.append(data)
            target = data.get("post_logout_redirect_uri", "/")
            status, payload, extra = 302, "", [("Location", target)]
        else:
            status, payload, extra = 404, {"error": "not_found"}, []
        return _respond(start_response, status, payload, extra)

    def discovery(self):
        return {
            "issuer": self.base_url,
            "authorization_endpoint": f"{self.base_url}/authorize",
            "token_endpoint": f"{self.base_url}/token",
            "userinfo_endpoint": f"{self.base_url}/userinfo",
            "jwks_uri": f"{self.base_url}/jwks",
            "end_session_endpoint": f"{self.base_url}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": [ACR],
            "scopes_supported": ["openid", "scope_all"],
        }


def _respond(start_response, status, payload, extra):
    reasons = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
    headers = list(extra)
    if isinstance(payload, dict):
        body = json.dumps(payload).encode()
        headers.append(("Content-Type", "application/json"))
    else:
        body = (payload or "").encode()
    start_response(f"{status} {reasons.get(status, 'Error')}", headers)
    return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _server(provider: Provider) -> AuthorizationServer:
    class Server(AuthorizationServer):
        def query_client(self, client_id):
            return provider.client if client_id == provider.client.client_id else None

        def save_token(self, token, request):
            provider.tokens[token["access_token"]] = dict(request.user)

        def create_oauth2_request(self, request):
            return request

        def create_json_request(self, request):
            return request

        def handle_response(self, status, body, headers):
            return status, body, headers

        def send_signal(self, name, *args, **kwargs):
            pass

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

        def save_authorization_code(self, code, request):
            data = request.payload.data
            provider.codes[code] = AuthorizationCode(
                code=code,
                client_id=request.client.client_id,
                redirect_uri=data.get("redirect_uri"),
                scope=data.get("scope"),
                nonce=data.get("nonce"),
                user=dict(request.user),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                auth_time=int(time.time()),
            )

        def query_authorization_code(self, code, client):
            item = provider.codes.get(code)
            return item if item and item.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code):
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return authorization_code.user

    class Code(OpenIDCode):
        def exists_nonce(self, nonce, request):
            return any(c.nonce == nonce for c in provider.codes.values())

        def resolve_client_private_key(self, client):
            return provider.other_key if provider.mode == "forged" else provider.key

        def get_client_algorithm(self, client):
            return "RS256"

        def get_encode_header(self, client):
            return {"alg": "RS256", "kid": KID}

        def get_compatible_claims(self, request):
            now = int(time.time()) - (7200 if provider.mode == "expired" else 0)
            return {
                "iss": provider.base_url,
                "aud": [request.client.client_id],
                "iat": now,
                "exp": now + 3600,
            }

        def get_authorization_code_claims(self, authorization_code):
            claims = super().get_authorization_code_claims(authorization_code)
            if provider.mode == "wrong_nonce":
                claims["nonce"] = "un-autre-nonce"
            return claims

        def generate_user_info(self, user, scope):
            return {"sub": user["sub"]}

    server = Server()
    server.register_grant(CodeGrant, [Code(require_nonce=True), CodeChallenge(required=True)])
    server.register_token_generator("default", _bearer_token)
    return server


def _bearer_token(
    client, grant_type, user=None, scope=None, expires_in=None, include_refresh_token=True
):
    return {
        "token_type": "Bearer",
        "access_token": secrets.token_urlsafe(32),
        "expires_in": 3600,
        "scope": scope,
    }


def authorize_url_params(url: str) -> dict:
    return dict(parse_qsl(url.split("?", 1)[1]))


__all__ = ["Provider", "authorize_url_params", "urlencode"]
