from django.urls import path

from parrhesia.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="list"),
    path("<int:webhook_id>/", views.webhook_detail, name="detail"),
    path("<int:webhook_id>/disable/", views.webhook_disable, name="disable"),
    path("<int:webhook_id>/enable/", views.webhook_enable, name="enable"),
    path("<int:webhook_id>/test/", views.webhook_test, name="test"),
    path("<int:webhook_id>/rotate/", views.webhook_rotate, name="rotate"),
    path("<int:webhook_id>/delete/", views.webhook_delete, name="delete"),
]
