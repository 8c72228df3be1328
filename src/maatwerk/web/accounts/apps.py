from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maatwerk.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        from maatwerk.web.accounts import signals  # noqa: F401
