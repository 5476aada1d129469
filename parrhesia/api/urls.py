"""/api/v1/: the operations (every one through :func:`conditional.api_answer`), the OpenAPI
document, its page, and a problem for any other path under /api/."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from parrhesia.api import views
from parrhesia.api.conditional import api_answer
from parrhesia.api.site import api

patterns, app_name, namespace = api.urls


def answered(pattern: URLPattern) -> URLPattern:
    return path(str(pattern.pattern), api_answer(pattern.callback), name=pattern.name)


urlpatterns = [
    # ninja's root (its operations need its name to know their prefix): the documentation
    path("", views.api_docs, name="api-root"),
    path("docs", views.api_docs, name="docs"),
    *[answered(pattern) for pattern in patterns if pattern.name != "api-root"],
    re_path(r"^(?P<rest>.*)$", api_answer(views.api_nowhere), name="nowhere"),
]
app_name = "api"
