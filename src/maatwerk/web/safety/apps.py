from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """Safety signals: raising, picking up, following up, closing and escalating them.

    The signal models live in ``maatwerk.web.questionnaires.models`` (``SafetyAlert``),
    where the first signals came from; this app holds the workflow around them."""

    name = "maatwerk.web.safety"
    label = "safety"
