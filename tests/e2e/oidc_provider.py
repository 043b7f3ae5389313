"""A minimal OpenID Connect provider on a loopback port, for driving st.login end to end in tests.

Discovery, an authorize endpoint that signs in one configured user without a form
(it redirects straight back with a code), a token endpoint that returns an RS256
id_token carrying the nonce, and the JWKS to check it. Test use only.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


class Provider:
    """The provider; `claims` (email, email_verified…) go into the id_token of whoever logs in next."""

    def __init__(self, client_id: str, claims: dict) -> None:
        self.client_id, self.claims = client_id, claims
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test"})
        self.codes: dict[str, str] = {}  # code → nonce
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()

    def _id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "sub": "user-1", "aud": self.client_id, "iat": now, "exp": now + 600,
                  "nonce": nonce, **self.claims}
        return jwt.encode({"alg": "RS256", "kid": "test"}, claims, self.key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _json(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json({"issuer": provider.url, "authorization_endpoint": f"{provider.url}/authorize",
                                "token_endpoint": f"{provider.url}/token", "jwks_uri": f"{provider.url}/jwks",
                                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                                "id_token_signing_alg_values_supported": ["RS256"]})
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query.get("nonce", "")
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?"
                                     + urlencode({"code": code, "state": query.get("state", "")}))
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                body = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
                nonce = provider.codes.pop(body.get("code", [""])[0], None)
                if urlparse(self.path).path != "/token" or nonce is None:
                    self.send_error(400)
                    return
                self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600,
                            "id_token": provider._id_token(nonce)})

        return Handler
