from django.urls import path

from parrhesia.tribunal import views

app_name = "tribunal"

urlpatterns = [
    path("", views.docket, name="docket"),
    path("report/", views.report, name="report"),
    path("settings/", views.tribunal_settings, name="settings"),
    path("availability/", views.jury_availability, name="availability"),
    path("transparency/", views.transparency, name="transparency"),
    path("transparency.json", views.transparency_json, name="transparency_json"),
    path("transparency.csv", views.transparency_csv, name="transparency_csv"),
    path("<int:number>/", views.case_detail, name="case"),
    path("<int:number>/dismiss/", views.case_dismiss, name="dismiss"),
    path("<int:number>/jury-request/", views.case_jury_request, name="jury_request"),
    path("<int:number>/interim/", views.case_interim, name="interim"),
    path("<int:number>/defence/", views.case_defence, name="defence"),
    path("<int:number>/extend/", views.case_extend, name="extend"),
    path("<int:number>/step-down/", views.case_step_down, name="step_down"),
    path("<int:number>/conflict/", views.case_conflict, name="conflict"),
    path("<int:number>/recuse/", views.case_recuse, name="recuse"),
    path("<int:number>/room/", views.case_room, name="room"),
    path("<int:number>/confirm/", views.case_confirm, name="confirm"),
    path("<int:number>/anonymity/", views.case_anonymity, name="anonymity"),
    path("<int:number>/vote/", views.case_vote, name="vote"),
    path("<int:number>/appeal/", views.case_appeal, name="appeal"),
]
