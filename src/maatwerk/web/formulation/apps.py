from django.apps import AppConfig


class FormulationConfig(AppConfig):
    name = "maatwerk.web.formulation"
    label = "formulation"
