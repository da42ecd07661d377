"""The example backend in FastAPI: `uvicorn app:app --port 4000` in this folder.

Same routes and answers as `lib/examples/backend.ts`: every request but
`/healthz` carries the app's access JWT as `Authorization: Bearer`, verified
with PyJWT against the app's `/api/auth/jwks` (EdDSA only, issuer and audience
pinned, `exp`/`iat`/`sub` required), and per-user data goes to its owner only.

Environment: `BETTER_AUTH_URL` (the app's origin: issuer and audience),
`APP_URL` (where the JWKS is, default `BETTER_AUTH_URL`), `AUTH_JWT_TTL`
(default 300), `BACKEND_PORT` (default 4000, for `python3 app.py`).
Needs `fastapi`, `uvicorn` and `pyjwt[crypto]` (`cryptography` verifies Ed25519).
"""

import inspect
import os
import re
import threading
import time
from urllib.parse import urljoin, urlsplit

import jwt
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, constr

_base = urlsplit(os.environ.get("BETTER_AUTH_URL") or os.environ.get("APP_URL") or "http://localhost:3000")
ISSUER = f"{_base.scheme}://{_base.netloc}"  # the origin, as the app puts it in `iss` and `aud`
JWKS_URL = urljoin(os.environ.get("APP_URL") or ISSUER, "/api/auth/jwks")
MAX_AGE = int(os.environ.get("AUTH_JWT_TTL") or 300)  # seconds; refuses old tokens whatever their `exp`
LEEWAY = 5  # seconds of clock skew tolerated on `exp`, `nbf`, `iat`
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class Refused(Exception):
    """A refusal: 401 with a stable `reason` (the codes of `lib/edge/verify.ts`), 403 not yours, 503 no keys."""

    def __init__(self, reason: str, status: int = 401):
        self.reason, self.status = reason, status


class AppKeys:
    """The app's public keys, fetched and parsed by PyJWT's `PyJWKClient`, kept as the kit's own verifier
    keeps them (`lib/edge/keys.ts`): fetches one at a time and at least `gap` seconds apart; a set older than
    `max_age` is refreshed, and kept when that fails; a token of ours with an unknown `kid` waits for the next
    fetch, so a key rotation costs no rejection. (PyJWKClient's own cache would refetch for every unknown
    `kid`, a flood of forged kids becoming a flood of fetches, and forget the set when a fetch fails.)
    """

    def __init__(self, url: str, max_age: float = 600, gap: float = 2):
        # `timeout` arrived in PyJWT 2.7; Debian 12's 2.6 waits as long as the socket does.
        timeout = {"timeout": 3} if "timeout" in inspect.signature(jwt.PyJWKClient).parameters else {}
        self.client = jwt.PyJWKClient(url, cache_jwk_set=False, **timeout)
        self.max_age, self.gap = max_age, gap
        self.keys: dict[str, jwt.PyJWK] = {}
        self.fetched_at = self.started_at = float("-inf")
        self.last_ok = False
        self.lock = threading.Lock()

    def _fetch(self) -> bool:
        self.started_at = time.monotonic()
        try:
            keys = self.client.get_signing_keys()
            self.keys, self.fetched_at, self.last_ok = {key.key_id: key for key in keys}, time.monotonic(), True
        except (jwt.PyJWTError, OSError, ValueError):  # unreachable, non-200, not a key set
            self.last_ok = False
        return self.last_ok

    def key_for(self, kid: str | None, ours: bool) -> jwt.PyJWK:
        """The key for `kid`. `ours`: the token names our issuer and has not expired; only then may it cause a fetch."""
        arrived = time.monotonic()
        if kid in self.keys and arrived - self.fetched_at <= self.max_age:
            return self.keys[kid]  # the common case: no lock, no network
        ok = True
        with self.lock:  # one fetch at a time: whoever needs one waits for it
            gap_left = self.started_at + self.gap - time.monotonic()
            if self.started_at >= arrived:
                ok = self.last_ok  # fetched while we waited: its result is ours
            elif kid in self.keys:
                if gap_left <= 0:
                    self._fetch()  # stale: refresh; on failure the set is kept
            elif not self.keys:
                ok = gap_left <= 0 and self._fetch()  # cold; the last fetch just failed: fail fast
            elif ours:
                time.sleep(max(0.0, gap_left))  # perhaps a key published since: wait for the next fetch
                ok = self._fetch()
        if kid in self.keys:
            return self.keys[kid]
        if not self.keys or (ours and not ok):
            raise Refused("jwks_unavailable", 503)
        raise Refused("unknown_kid")


def _ours(token: str) -> bool:
    """Whether the (unverified) token names our issuer and has not expired: it decides a fetch, never acceptance."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    exp = claims.get("exp")
    return claims.get("iss") == ISSUER and (not isinstance(exp, (int, float)) or exp > time.time())


keys = AppKeys(JWKS_URL)

# PyJWT's errors onto the kit's failure codes (`lib/edge/verify.ts`); anything else is "malformed".
REASONS = [
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.InvalidSignatureError, "bad_signature"),
    # wrong `iss` or `aud`, a required claim missing, `nbf` or `iat` in the future, `iat` not a number
    ((jwt.InvalidIssuerError, jwt.InvalidAudienceError, jwt.MissingRequiredClaimError), "claims"),
    ((jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError), "claims"),
]


def current_user(request: Request) -> dict:
    """The verified claims of the request's Bearer token, or `Refused` (401, or 503 when keys cannot be fetched)."""
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise Refused("missing")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or len(token) > 4096 or not COMPACT_JWS.fullmatch(token):
        raise Refused("malformed")  # covers `alg: none`, whose signature part is empty
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "EdDSA":  # before any key lookup: junk never causes a fetch
            raise Refused("malformed")
        key = keys.key_for(header.get("kid"), _ours(token))
        claims = jwt.decode(
            token,
            key.key,
            algorithms=["EdDSA"],
            issuer=ISSUER,
            audience=ISSUER,
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.PyJWTError as error:
        reason = next((reason for kinds, reason in REASONS if isinstance(error, kinds)), "malformed")
        raise Refused(reason) from error
    if not isinstance(claims["sub"], str) or not claims["sub"] or not isinstance(claims["iat"], (int, float)):
        raise Refused("claims")
    if time.time() - claims["iat"] > MAX_AGE + LEEWAY:
        raise Refused("expired")
    return claims


def owner(user_id: str, user: dict = Depends(current_user)) -> str:
    """User isolation: the path names a user; only that user may touch their data."""
    if user_id != user["sub"]:
        raise Refused("forbidden", 403)
    return user_id


app = FastAPI(title="edge-guard example backend")
notes: dict[str, list[str]] = {}  # each user's notes, by user id (in memory: this is an example)


class NewNote(BaseModel):
    text: constr(min_length=1)


@app.exception_handler(Refused)
async def refused(_request: Request, error: Refused) -> JSONResponse:
    if error.status == 403:
        return JSONResponse({"error": "forbidden"}, 403)
    if error.status == 503:  # transient: the API client must not sign the user out
        return JSONResponse({"error": "auth_unavailable", "reason": error.reason}, 503)
    challenge = "Bearer"  # RFC 6750: no error code when no token was sent
    if error.reason != "missing":
        challenge = f'Bearer error="invalid_token", error_description="{error.reason}"'
    return JSONResponse({"error": "unauthorized", "reason": error.reason}, 401, {"WWW-Authenticate": challenge})


@app.exception_handler(RequestValidationError)
async def bad_request(_request: Request, _error: RequestValidationError) -> JSONResponse:
    return JSONResponse({"error": "text required"}, 400)


@app.middleware("http")
async def no_store(request: Request, call_next):
    response = await call_next(request)
    response.headers["Cache-Control"] = "private, no-store"  # per-user answers: never in a shared cache
    return response


@app.get("/healthz")
def healthz() -> dict:
    return {"ok": True}


@app.get("/whoami")
def whoami(user: dict = Depends(current_user)) -> dict:
    return {
        "sub": user["sub"],
        "email": user.get("email", ""),
        "name": user.get("name", ""),
        "role": user.get("role") or "user",
    }


@app.get("/users/{user_id}/notes")
def list_notes(user_id: str = Depends(owner)) -> dict:
    return {"userId": user_id, "notes": notes.get(user_id, [])}


@app.post("/users/{user_id}/notes", status_code=201)
def add_note(note: NewNote, user_id: str = Depends(owner)) -> dict:
    notes[user_id] = [*notes.get(user_id, []), note.text]
    return {"userId": user_id, "notes": notes[user_id]}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("BACKEND_PORT") or 4000))
