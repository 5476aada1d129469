from django.urls import path

from parrhesia.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.ballot_list, name="index"),
    path("new/", views.ballot_new, name="new"),
    path("quick/", views.quick_ballot_new, name="quick"),
    path("agenda-items/<int:item_id>/", views.agenda_item_ballot, name="agenda_item"),
    path("policy/", views.policy_edit, name="policy"),
    path("delegations/", views.delegations_mine, name="delegations"),
    path("delegations/graph/", views.delegation_graph, name="delegation_graph"),
    path("delegations/settings/", views.delegation_settings, name="delegations_settings"),
    path(
        "delegations/<int:delegation_id>/revoke/",
        views.delegation_revoke,
        name="delegation_revoke",
    ),
    path("delegations/<int:delegation_id>/renew/", views.delegation_renew, name="delegation_renew"),
    path("mandates/", views.mandates, name="mandates"),
    path("<int:ballot_id>/", views.ballot_detail, name="detail"),
    path("<int:ballot_id>/vote/", views.ballot_vote, name="vote"),
    path("<int:ballot_id>/close/", views.ballot_close, name="close"),
    path("<int:ballot_id>/proxy/", views.proxy_give, name="proxy"),
    path("<int:ballot_id>/proxy/revoke/", views.proxy_revoke, name="proxy_revoke"),
    path("<int:ballot_id>/answer/", views.block_answer, name="answer"),
    path("<int:ballot_id>/receipt/", views.receipt_download, name="receipt"),
    path("<int:ballot_id>/tracker/", views.tracker_search, name="tracker"),
    path("<int:ballot_id>/ballots.csv", views.ballots_csv, name="ballots_csv"),
    path("<int:ballot_id>/ballots.toi", views.ballots_preflib, name="ballots_preflib"),
    path("<int:ballot_id>/ballot.json", views.ballot_json, name="json"),
    path("<int:ballot_id>/minority/", views.minority_report_new, name="minority"),
    path(
        "<int:ballot_id>/minority/<int:report_id>/cosign/",
        views.minority_report_cosign,
        name="cosign",
    ),
]
