from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "maatwerk.web.questionnaires"
    label = "questionnaires"
