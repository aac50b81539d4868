"""Phase 1 (database schema): an in-memory token table with revocation."""
import time


class TokenStore:
    def __init__(self, clock=time.time):
        self._rows = {}
        self._clock = clock

    def add(self, token_id, user_id, expires_at):
        if token_id in self._rows:
            raise ValueError(f"duplicate token id {token_id!r}")
        self._rows[token_id] = {"user_id": user_id, "issued_at": self._clock(),
                                "expires_at": expires_at, "revoked_at": None}

    def revoke(self, token_id):
        row = self._rows.get(token_id)
        if row is None:
            return False
        row["revoked_at"] = self._clock()
        return True

    def is_active(self, token_id):
        row = self._rows.get(token_id)
        if row is None or row["revoked_at"] is not None:
            return False
        return row["expires_at"] > self._clock()

    def purge_expired(self):
        now = self._clock()
        dead = [k for k, r in self._rows.items() if r["expires_at"] <= now]
        for k in dead:
            del self._rows[k]
        return len(dead)
