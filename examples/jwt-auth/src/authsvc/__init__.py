"""A tiny JWT authentication service: the seed workflow's example feature."""
