from django.urls import path

from parrhesia.opinion import views

app_name = "opinion"

urlpatterns = [
    path("", views.conversation_list, name="index"),
    path("new/", views.conversation_new, name="new"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path("<int:conversation_id>/statements/", views.statement_add, name="statement_add"),
    path("<int:conversation_id>/close/", views.conversation_close, name="close"),
    path("<int:conversation_id>/polis.zip", views.conversation_export, name="export"),
    path("statements/<int:statement_id>/", views.statement_show, name="statement"),
    path("statements/<int:statement_id>/vote/", views.statement_vote, name="vote"),
    path("statements/<int:statement_id>/mark/", views.statement_mark, name="mark"),
]
