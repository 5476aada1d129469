from django.urls import path

from parrhesia.api import views

app_name = "api_tokens"

urlpatterns = [
    path("tokens/", views.token_list, name="list"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
