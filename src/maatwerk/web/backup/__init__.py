"""Backups of the whole database with a manifest, restore into a fresh instance, and
external anchors of the audit chain head (``maatwerk backup`` / ``maatwerk restore``).

SQLite is copied with the online backup API, PostgreSQL with ``pg_dump -Fc`` from one
exported snapshot; the manifest's row counts and checksums are taken from the same
snapshot, so a backup made while the platform is being written to is consistent.
"""
