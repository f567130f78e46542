"""The subscribable feeds, at language-neutral addresses (calendar clients and feed readers keep them)."""

from django.urls import path

from buenaspracticas.coordination import feeds

app_name = "coordination_feeds"
urlpatterns = [
    path("calendario.ics", feeds.calendar, name="calendar"),
    path("calendario/<slug:slug>.ics", feeds.calendar, name="state_calendar"),
    path("novedades.atom", feeds.ChangesFeed(), name="changes"),
]
