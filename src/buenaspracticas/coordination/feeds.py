"""Subscribable feeds: the Atom feed of changes (Django's syndication framework) and the iCalendar feeds of
sessions and agreement due dates. Language-neutral addresses; their text is in the site's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from buenaspracticas.coordination import changes, ics, selectors

TAG_DATE = "2021"  # the year of the first report: tag URIs stay the same for ever


def _tag(request: HttpRequest, specific: str) -> str:
    host = request.get_host()
    host = (
        "localhost" if host.startswith("[") else host.rsplit(":", 1)[0]
    )  # a tag URI's authority has no port
    return f"tag:{host},{TAG_DATE}:{specific}"


class ChangesFeed(Feed):
    """/novedades.atom[?estado=oaxaca]: practices published or revised, verdicts changed, panorama figures,
    recommendation statuses, sessions and agreements, newest first."""

    feed_type = Atom1Feed
    author_name = "OIM / CONOFAM · buenaspracticas"

    def __call__(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        # The feed object is shared by every request: what depends on the request travels in `obj`.
        data = changes.feed_entries(state_key=request.GET.get("estado") or None)
        scope = "novedades" + (f"/{data['state']['slug']}" if data["state"] else "")
        return {
            **data,
            "guid": _tag(request, scope),
            "items": [{**item, "guid": _tag(request, f"cambio/{item['id']}")} for item in data["items"]],
        }

    def title(self, obj) -> str:
        if obj["state"]:
            return _("Novedades de %(state)s · buenaspracticas") % {"state": obj["state"]["name"]}
        return _("Novedades · buenaspracticas")

    def subtitle(self, obj) -> str:
        return _(
            "Prácticas publicadas o revisadas, valoraciones, cifras, recomendaciones, sesiones y acuerdos de "
            "la base común de buenas prácticas."
        )

    def link(self, obj) -> str:
        return f"/estados/{obj['state']['slug']}/" if obj["state"] else "/"

    def feed_guid(self, obj) -> str:
        return obj["guid"]

    def items(self, obj) -> list[dict]:
        return obj["items"]

    def item_title(self, item: dict) -> str:
        return item["title"]

    def item_description(self, item: dict) -> str:
        return item["summary"]

    def item_link(self, item: dict) -> str:
        return item["link"]

    def item_guid(self, item: dict) -> str:
        return item["guid"]

    item_guid_is_permalink = False

    def item_pubdate(self, item: dict):
        return item["updated"]

    def item_updateddate(self, item: dict):
        return item["updated"]


def calendar(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """/calendario.ics and /calendario/<slug>.ics: sessions and agreement due dates as iCalendar."""
    with translation.override(settings.LANGUAGE_CODE):
        items = selectors.calendar_items(state_key=slug)
        body = ics.calendar_ics(items, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = f"calendario-{slug}.ics" if slug else "calendario.ics"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
