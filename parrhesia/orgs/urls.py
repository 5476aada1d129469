from django.urls import path

from parrhesia.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organisation_detail, name="detail"),
    path("members/", views.member_list, name="members"),
    path("members/<int:member_id>/role/", views.member_role, name="member_role"),
    path("membership/", views.membership_settings, name="membership"),
    path("join/", views.join_request_create, name="join"),
    path("join-requests/", views.join_request_list, name="join_requests"),
    path(
        "join-requests/<int:request_id>/accept/",
        views.join_request_accept,
        name="join_request_accept",
    ),
    path(
        "join-requests/<int:request_id>/refuse/",
        views.join_request_refuse,
        name="join_request_refuse",
    ),
    path(
        "join-requests/<int:request_id>/withdraw/",
        views.join_request_withdraw,
        name="join_request_withdraw",
    ),
    path("invitations/", views.invitation_list, name="invitations"),
    path(
        "invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("settings/", views.organisation_settings, name="settings"),
    path("conduct/", views.conduct_code, name="conduct"),
    path("conduct/edit/", views.conduct_code_edit, name="conduct_edit"),
    path("erasure/<int:seq>/", views.record_entry_erasure, name="erasure"),
]
