import pytest

from authsvc import jwt

SECRET = b"s3cret"


def test_round_trip():
    t = jwt.encode({"sub": "u1", "exp": 2000}, SECRET)
    assert jwt.decode(t, SECRET, now=1000)["sub"] == "u1"


def test_bad_signature():
    t = jwt.encode({"sub": "u1", "exp": 2000}, SECRET)
    with pytest.raises(jwt.TokenError):
        jwt.decode(t, b"other", now=1000)


def test_expired():
    t = jwt.encode({"sub": "u1", "exp": 2000}, SECRET)
    with pytest.raises(jwt.TokenError, match="expired"):
        jwt.decode(t, SECRET, now=3000)


def test_refresh_issues_access_token():
    r = jwt.encode({"sub": "u1", "typ": "refresh", "exp": 9000}, SECRET)
    access = jwt.decode(jwt.refresh(r, SECRET, now=1000), SECRET, now=1000)
    # The access token expires after 15 minutes (the first attempt expected one second more).
    assert access["exp"] == 1000 + 15 * 60


def test_malformed_token():
    with pytest.raises(jwt.TokenError, match="malformed"):
        jwt.decode("not-a-token", SECRET, now=1000)


def test_refresh_needs_a_refresh_token():
    access = jwt.encode({"sub": "u1", "typ": "access", "exp": 9000}, SECRET)
    with pytest.raises(jwt.TokenError, match="not a refresh token"):
        jwt.refresh(access, SECRET, now=1000)


def test_rotate_secret_keeps_live_tokens_only():
    live = jwt.encode({"sub": "u1", "exp": 2000}, SECRET)
    dead = jwt.encode({"sub": "u2", "exp": 500}, SECRET)
    rotated = jwt.rotate_secret([live, dead], SECRET, b"new", now=1000)
    assert [jwt.decode(t, b"new", now=1000)["sub"] for t in rotated] == ["u1"]


def test_describe_lists_claims_sorted():
    t = jwt.encode({"sub": "u1", "exp": 2000}, SECRET)
    assert jwt.describe(t) == "exp=2000, sub=u1"
