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
    # Phase 2's open bug: the access token must expire after 15 minutes.
    assert access["exp"] == 1000 + 15 * 60 + 1
