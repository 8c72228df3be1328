from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "maatwerk.web.background"
    label = "background"

    def ready(self) -> None:
        from maatwerk.web.background import checks  # noqa: F401  (registers the check)
