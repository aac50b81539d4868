"""Phase 2 (backend services): HS256 tokens, verification and refresh."""
import base64
import hashlib
import hmac
import json


class TokenError(Exception):
    pass


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims, secret):
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    sig = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(sig)}"


def decode(token, secret, now):
    try:
        header, body, sig = token.split(".")
    except ValueError:
        raise TokenError("malformed token")
    expected = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _unb64(sig)):
        raise TokenError("bad signature")
    claims = json.loads(_unb64(body))
    if claims.get("exp", 0) <= now:
        raise TokenError("expired")
    return claims


def refresh(token, secret, now, ttl=900):
    claims = decode(token, secret, now)
    if claims.get("typ") != "refresh":
        raise TokenError("not a refresh token")
    access = {"sub": claims["sub"], "typ": "access", "exp": now + ttl}
    return encode(access, secret)


def rotate_secret(tokens, old, new, now):
    rotated = []
    for t in tokens:
        try:
            claims = decode(t, old, now)
        except TokenError:
            continue
        rotated.append(encode(claims, new))
    return rotated


def describe(token):
    """Human-readable claims for the admin console (untested in phase 2)."""
    _header, body, _sig = token.split(".")
    claims = json.loads(_unb64(body))
    parts = []
    for key in sorted(claims):
        parts.append(f"{key}={claims[key]}")
    return ", ".join(parts)
