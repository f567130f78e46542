from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from buenaspracticas.api.app import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("buenaspracticas.coordination.feed_urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("buenaspracticas.curation.urls")),
    path("", include("buenaspracticas.reports.urls")),
    path("", include("buenaspracticas.coordination.urls")),
    path("", include("buenaspracticas.recommend.urls")),
    path("", include("buenaspracticas.evidence.urls")),
    path("", include("buenaspracticas.web.urls")),
    prefix_default_language=False,
)
