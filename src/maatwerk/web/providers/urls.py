from django.urls import path

from maatwerk.web.providers import views

app_name = "providers"
urlpatterns = [
    path("search/", views.search, name="search"),
    path(
        "patients/<str:patient_id>/referrals/new/",
        views.referral_create,
        name="referral_create",
    ),
    path("referrals/<str:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<str:referral_id>/consent/", views.referral_consent, name="referral_consent"),
    path("referrals/<str:referral_id>/send/", views.referral_send, name="referral_send"),
    path("referrals/<str:referral_id>/cancel/", views.referral_cancel, name="referral_cancel"),
    path("referrals/<str:referral_id>/letter.pdf", views.referral_letter, name="referral_letter"),
    path(
        "referrals/<str:referral_id>/service-request.json",
        views.referral_fhir,
        name="referral_fhir",
    ),
    path("directory/", views.directory, name="directory"),
    path("directory/import/", views.directory_import, name="directory_import"),
    path("directory/providers.csv", views.directory_export, name="directory_export"),
    path("directory/new/", views.provider_create, name="provider_create"),
    path("directory/<str:provider_id>/edit/", views.provider_edit, name="provider_edit"),
    path("directory/<str:provider_id>/active/", views.provider_active, name="provider_active"),
    path("directory/postcodes/", views.gazetteer, name="gazetteer"),
    path("directory/postcodes.csv", views.gazetteer_export, name="gazetteer_export"),
]
