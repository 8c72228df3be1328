from django.apps import AppConfig


class PersonalizedConfig(AppConfig):
    name = "maatwerk.web.personalized"
    label = "personalized"
