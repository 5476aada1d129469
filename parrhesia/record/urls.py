from django.urls import path

from parrhesia.record import views

app_name = "record"

urlpatterns = [
    path("", views.record_page, name="page"),
    path("entries/<int:seq>/", views.record_entry, name="entry"),
    path("checkpoint", views.api_checkpoint, name="api_checkpoint"),
    path("entries", views.api_entries, name="api_entries"),
    path("proof/inclusion", views.api_inclusion, name="api_inclusion"),
    path("proof/consistency", views.api_consistency, name="api_consistency"),
    path("export.jsonl", views.record_export, name="export"),
    path("download.zip", views.member_download, name="download"),
]
