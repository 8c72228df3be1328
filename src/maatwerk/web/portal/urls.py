from django.urls import path

from maatwerk.web.ownresults import views as own_results_views
from maatwerk.web.portal import views
from maatwerk.web.safetyplan import views as safety_plan_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("access-log/", views.access_log, name="access_log"),
    path("privacy/", views.privacy, name="privacy"),
    path("results/", own_results_views.own_results, name="own_results"),
    path("results/pdf/", own_results_views.own_results_pdf, name="own_results_pdf"),
    path("results/notes/", own_results_views.note_add, name="own_result_note"),
    path(
        "results/notes/<str:note_id>/",
        own_results_views.note_change,
        name="own_result_note_change",
    ),
    path(
        "results/notes/<str:note_id>/remove/",
        own_results_views.note_remove,
        name="own_result_note_remove",
    ),
    path("safety-plan/", safety_plan_views.mine, name="safety_plan"),
    path("safety-plan/edit/", safety_plan_views.mine_edit, name="safety_plan_edit"),
    path("safety-plan/pdf/", safety_plan_views.mine_pdf, name="safety_plan_pdf"),
    path("safety-plan/sw.js", safety_plan_views.service_worker, name="safety_plan_sw"),
]
