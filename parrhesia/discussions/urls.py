from django.urls import path

from parrhesia.discussions import views

app_name = "discussions"

urlpatterns = [
    path("<str:anchor>/<int:anchor_id>/posts/", views.post_add, name="post_add"),
    path("posts/<int:post_id>/", views.post_show, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
]
