import pytest

from authsvc.store import TokenStore


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_add_and_active():
    clock = Clock()
    s = TokenStore(clock)
    s.add("t1", "u1", expires_at=2000)
    assert s.is_active("t1")
    clock.now = 2500
    assert not s.is_active("t1")


def test_duplicate_id_rejected():
    s = TokenStore(Clock())
    s.add("t1", "u1", 2000)
    with pytest.raises(ValueError):
        s.add("t1", "u2", 2000)


def test_revoke():
    s = TokenStore(Clock())
    s.add("t1", "u1", 2000)
    assert s.revoke("t1")
    assert not s.is_active("t1")
    assert not s.revoke("missing")
    assert not s.is_active("missing")


def test_purge_expired():
    clock = Clock()
    s = TokenStore(clock)
    s.add("old", "u1", 1500)
    s.add("new", "u1", 5000)
    clock.now = 2000
    assert s.purge_expired() == 1
    assert s.is_active("new")
