from django.urls import include, path
from django.views.i18n import set_language

from parrhesia.notifications import views as notification_views
from parrhesia.orgs import views as org_views
from parrhesia.web import docs as web_docs
from parrhesia.web import metrics as web_metrics
from parrhesia.web import todo_views
from parrhesia.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("health", web_views.health, name="health"),
    path("metrics", web_metrics.metrics, name="metrics"),
    path("docs/<slug:page>/", web_docs.docs_page, name="docs"),
    path("accounts/profile/", web_views.profile, name="profile"),
    path("todo/", todo_views.todo_page, name="todo"),
    path("todo/count/", todo_views.todo_count, name="todo_count"),
    path("todo/calendar/", todo_views.calendar_link, name="todo_calendar_link"),
    path("todo/calendar/<str:token>.ics", todo_views.calendar_feed, name="todo_calendar"),
    # allauth's parts one by one (not allauth.urls): without its unnamed redirects from the
    # old social/ addresses, which no Parrhesia site ever had.
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("new/", org_views.organisation_create, name="organisation_create"),
    path("invite/<str:token>/", org_views.invitation_accept, name="invite"),
    path(
        "unsubscribe/<str:token>/",
        notification_views.unsubscribe,
        name="notifications_unsubscribe",
    ),
    path("api/v1/", include("parrhesia.api.urls")),
    path("o/<str:slug>/api/", include("parrhesia.api.token_urls")),
    path("o/<str:slug>/record/", include("parrhesia.record.urls")),
    path("o/<str:slug>/notifications/", include("parrhesia.notifications.urls")),
    path("o/<str:slug>/agenda/", include("parrhesia.agenda.urls")),
    path("o/<str:slug>/opinion/", include("parrhesia.opinion.urls")),
    path("o/<str:slug>/discussions/", include("parrhesia.discussions.urls")),
    path("o/<str:slug>/decisions/", include("parrhesia.decisions.urls")),
    path("o/<str:slug>/tribunal/", include("parrhesia.tribunal.urls")),
    path("o/<str:slug>/webhooks/", include("parrhesia.webhooks.urls")),
    path("o/<str:slug>/", include("parrhesia.orgs.urls")),
]

handler400 = "parrhesia.web.views.error_400"
handler403 = "parrhesia.web.views.error_403"
handler404 = "parrhesia.web.views.error_404"
handler500 = "parrhesia.web.views.error_500"
