"""Phase 2's benchmark: verifying a token (signature, expiry, claims), the hot path of every
request. The plan's budget: p95 under 10 ms (the plan's `Budget:` line for phase 2)."""
from authsvc import jwt

SECRET = b"bench-secret"
TOKEN = jwt.encode({"sub": "u1", "typ": "access", "exp": 2_000_000_000}, SECRET)


def test_verify_token(benchmark):
    claims = benchmark(jwt.decode, TOKEN, SECRET, 1_000_000_000)
    assert claims["sub"] == "u1"
