from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: object) -> None:
    """Create the database cache table when the database cache is used and it is missing.

    Login throttling and second-factor replay protection keep their state in the cache,
    shared by all workers through this table; ``migrate`` (so also ``maatwerk demo`` and
    the test databases) creates it, on SQLite and PostgreSQL alike.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "maatwerk.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        from maatwerk.web.accounts import signals  # noqa: F401

        post_migrate.connect(
            create_cache_table, sender=self, dispatch_uid="maatwerk.create_cache_table"
        )
