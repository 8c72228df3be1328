from django.urls import path

from maatwerk.web.analysis import views

app_name = "analysis"
urlpatterns = [
    path("patients/<str:patient_id>/network/", views.network_view, name="network"),
    path("patients/<str:patient_id>/network/upload/", views.upload, name="upload"),
    path("patients/<str:patient_id>/network/links/", views.links, name="links"),
    path("patients/<str:patient_id>/network/add/", views.add_arrows, name="add_arrows"),
    path("patients/<str:patient_id>/norm/", views.norm_choice, name="norm_choice"),
    path("patients/<str:patient_id>/network/share/", views.share, name="share"),
    path("patients/<str:patient_id>/network/pdf/", views.network_pdf, name="network_pdf"),
    path("mine/network/", views.mine, name="mine"),
    path("mine/network/pdf/", views.mine_pdf, name="mine_pdf"),
]
