from django.urls import path
from django.views.generic import RedirectView

from parrhesia.agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.agenda_index, name="index"),
    path("new/", views.item_open, name="item_open"),
    path("search/", views.agenda_search, name="search"),
    path("policy/", views.policy_edit, name="policy"),
    # Where the notifications page was before it became its own app (old bookmarks).
    path(
        "notifications/",
        RedirectView.as_view(pattern_name="notifications:list", permanent=True),
        name="notifications_moved",
    ),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/alternative/", views.item_alternative, name="item_alternative"),
    path("items/<int:item_id>/phase/", views.item_phase, name="item_phase"),
    path("items/<int:item_id>/follow-up/", views.item_follow_up, name="item_follow_up"),
    path("items/<int:item_id>/follow/", views.item_follow, name="item_follow"),
    path("motions/<int:motion_id>/", views.motion_detail, name="motion"),
    path("motions/<int:motion_id>/support/", views.motion_support, name="motion_support"),
    path("motions/<int:motion_id>/revise/", views.motion_revise, name="motion_revise"),
    path("motions/<int:motion_id>/withdraw/", views.motion_withdraw, name="motion_withdraw"),
    path("motions/<int:motion_id>/diff/", views.motion_diff, name="motion_diff"),
    path("motions/<int:motion_id>/suggest/", views.suggestion_new, name="suggestion_new"),
    path("motions/<int:motion_id>/arguments/", views.argument_map, name="arguments"),
    path("suggestions/<int:suggestion_id>/rate/", views.suggestion_rate, name="suggestion_rate"),
    path(
        "suggestions/<int:suggestion_id>/withdraw/",
        views.suggestion_withdraw,
        name="suggestion_withdraw",
    ),
    path(
        "suggestions/<int:suggestion_id>/decide/", views.suggestion_decide, name="suggestion_decide"
    ),
    path("arguments/<int:argument_id>/", views.argument_detail, name="argument"),
    path("arguments/<int:argument_id>/reply/", views.argument_reply, name="argument_reply"),
    path(
        "arguments/<int:argument_id>/challenge/",
        views.argument_challenge,
        name="argument_challenge",
    ),
    path("arguments/<int:argument_id>/revise/", views.argument_revise, name="argument_revise"),
    path(
        "arguments/<int:argument_id>/withdraw/", views.argument_withdraw, name="argument_withdraw"
    ),
    path("arguments/<int:argument_id>/endorse/", views.argument_endorse, name="argument_endorse"),
    path("challenges/<int:challenge_id>/answer/", views.challenge_answer, name="challenge_answer"),
    path("questions/", views.question_register, name="questions"),
    path("questions/new/", views.question_new, name="question_new"),
    path("questions/<int:question_id>/", views.question_detail, name="question"),
    path("questions/<int:question_id>/status/", views.question_status, name="question_status"),
    path(
        "questions/<int:question_id>/withdraw/", views.question_withdraw, name="question_withdraw"
    ),
    path("questions/<int:question_id>/link/", views.question_link, name="question_link"),
]
