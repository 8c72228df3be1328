"""The clinical core: plain Python, never Django (enforced by import-linter)."""
