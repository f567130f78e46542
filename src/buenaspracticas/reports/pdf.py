"""PDFs rendered with WeasyPrint from templates in the pages' visual language: one ficha, one state
(panorama with SVG charts, quality flags, its fichas) and the compendium of every state."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.provenance import PANORAMA, PRACTICE
from buenaspracticas.catalog.provenance import citation as cite
from buenaspracticas.catalog.selectors import (
    practice_get,
    practice_search,
    region_list,
    state_get,
    state_list,
)
from buenaspracticas.evidence.selectors import findings_public
from buenaspracticas.panorama.charts import region_chart, state_charts
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, QUALIFYING_MINIMUM, REGIONS
from buenaspracticas.reports.selectors import data_date, document_list, export_bundle
from buenaspracticas.text_case import display_title
from buenaspracticas.web.presenters import panorama_rows, practice_view


def criteria_texts() -> list[dict[str, str]]:
    """Return the five criteria with their short definition (DESIGN.md §2)."""
    texts = {
        "sostenibilidad": _(
            "Institucionalizada, con capacidad, presupuesto o base legal que perduran más allá de "
            "una administración."
        ),
        "asociacion": _(
            "Construida con socios: otros órdenes de gobierno, sociedad civil, organismos "
            "internacionales o sector privado."
        ),
        "innovacion": _("Una forma nueva de resolver el problema en su contexto."),
        "replicabilidad": _("Puede servir de modelo en otros lugares."),
        "eficacia": _("Cumple sus metas y muestra resultados."),
    }
    return [{"code": c, "label": CRITERIA_LABELS[c], "text": texts[c]} for c in CRITERIA]


def recommendations() -> list[str]:
    """Return the report's six recommendations, summarised."""
    return [
        _(
            "Ampliar las poblaciones que atienden los programas, hoy centrados en "
            "la diáspora en Estados Unidos, "
            "para garantizar derechos y servicios a todas las personas migrantes, "
            "incluidas las extracontinentales "
            "y centroamericanas."
        ),
        _(
            "Profundizar la coordinación intergubernamental y con agencias internacionales, sociedad civil y "
            "empresas, para ampliar la eficacia de las prácticas y diseñar acciones integrales."
        ),
        _(
            "Construir de forma coordinada mecanismos de atención en alianza que "
            "diversifiquen los servicios, "
            "con énfasis en escolarización y derecho a la identidad."
        ),
        _(
            "Formalizar una agenda común entre los estados con directrices homologadas de recolección y "
            "circulación de información, sesiones periódicas y una base de datos "
            "común para decidir con datos."
        ),
        _(
            "Desarrollar capacidades municipales, a través de las redes "
            "existentes, para sostener los programas "
            "estatales y canalizar a la población migrante."
        ),
        _(
            "Formalizar la recopilación, sistematización y documentación de la "
            "información según las reglas de "
            "transparencia, con criterios homologados que permitan replicar las mejores prácticas."
        ),
    ]


def _documents() -> dict[str, dict[str, Any]]:
    # One query for every source document; the PDFs cite them by title, publisher and year, never by slug
    # (catalog.provenance), and list them in the compendium's sources.
    return {d["slug"]: d for d in document_list()}


def _practice_view(p: dict, documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    citation = cite(
        p.get("source"), documents=documents, kind=PRACTICE, number=p["number"], place=p["state"]["name"]
    )
    return {**practice_view(p), "citation": citation}


def _state_view(state: dict, practices: list[dict], documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        **state,
        "region_name": REGIONS.get(state["region"], state["region"]),
        "rows": panorama_rows(state.get("indicators") or []),
        "charts": state_charts(state) if state.get("panorama") else {},
        "practice_views": [_practice_view(p, documents) for p in practices],
        "citation": cite(state.get("source"), documents=documents, kind=PANORAMA, place=state["name"]),
        # The findings matrix as everyone may read it: public interview excerpts only.
        "findings": findings_public(state_codes=[state["code"]]),
    }


def _context(title: str) -> dict[str, Any]:
    bundle_version = export_bundle(filters=PracticeFilters())["version"]
    return {
        "doc_title": title,
        "data_date": data_date(),
        "version": bundle_version,
        "generated": timezone.localdate().isoformat(),
        "minimum": QUALIFYING_MINIMUM,
    }


def render_pdf(template: str, context: dict[str, Any], *, stats: dict | None = None) -> bytes:
    """Render a template to PDF bytes with WeasyPrint (no external resources); page count
    goes in `stats`."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=None).render()
    if stats is not None:
        stats["pages"] = len(document.pages)
    return document.write_pdf()


def practice_pdf(*, practice_id: str, stats: dict | None = None) -> bytes:
    """Return the PDF of one practice's ficha; raise NotFound."""
    p = _practice_view(practice_get(practice_id=practice_id), _documents())
    title = display_title(p)  # the page head shows the title as the page does, not in the printed capitals
    return render_pdf("reports/pdf/practice.html", {**_context(title), "practice": p}, stats=stats)


def state_pdf(*, key: str, stats: dict | None = None) -> bytes:
    """Return the PDF of one state: panorama with charts, quality flags, then its fichas; raise NotFound."""
    state = state_get(key=key)
    practices = practice_search(filters=PracticeFilters(states=(state["code"],)), limit=None)["items"]
    practices.sort(key=lambda p: p["number"])
    view = _state_view(state, practices, _documents())
    return render_pdf("reports/pdf/state.html", {**_context(state["name"]), "state": view}, stats=stats)


def compendium_render(*, stats: dict | None = None) -> bytes:
    """Return a freshly rendered compendium: cover, contents, method and criteria, regions, every state with
    data, recommendations and sources (15–30 s; people get the cached file from `compendium_pdf`)."""
    documents = _documents()
    practices = practice_search(filters=PracticeFilters(), limit=None)["items"]
    by_state: dict[str, list[dict]] = {}
    for p in practices:
        by_state.setdefault(p["state"]["code"], []).append(p)
    states = [s for s in state_list() if s["panorama"] is not None or s["code"] in by_state]
    views = [
        _state_view(s, sorted(by_state.get(s["code"], []), key=lambda p: p["number"]), documents)
        for s in states
    ]
    by_code = {v["code"]: v for v in views}
    regions = []
    for r in region_list():
        members = [by_code[c] for c in r["states"] if c in by_code]
        chart = (
            region_chart(
                members,
                key="foreign_born",
                title=_("Población nacida en otro país — región %(r)s") % {"r": r["name"]},
            )
            if members
            else None
        )
        regions.append({**r, "states": members, "chart": chart})
    context = {
        **_context(_("Compendio de buenas prácticas")),
        "states": views,
        "regions": regions,
        "criteria": criteria_texts(),
        "recommendations": recommendations(),
        "documents": list(documents.values()),
        "practice_count": len(practices),
        "state_count": len(views),
    }
    return render_pdf("reports/pdf/compendium.html", context, stats=stats)


# The compendium takes 15–30 s to render, so people get a file stored under DATA_DIR/informes, named by the
# catalogue's data version and the language; a newer version is built while the previous one is served.
_STALE_BUILD_SECONDS = 15 * 60
_building: set[str] = set()
_building_lock = threading.Lock()


def data_version() -> str:
    """Return the catalogue's data version: the content hash of the unfiltered export bundle."""
    return export_bundle(filters=PracticeFilters())["version"]


def _cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "informes"


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _compendium_path(version: str, language: str) -> Path:
    return _cache_dir() / f"compendio-{language}-{version}.pdf"


def _cached_compendiums(language: str) -> list[Path]:
    return sorted(_cache_dir().glob(f"compendio-{language}-*.pdf"), key=lambda p: p.stat().st_mtime)


def compendium_build(*, language: str | None = None, stats: dict | None = None) -> Path:
    """Render the compendium of the current data in `language` (default: the active one), store it
    atomically under DATA_DIR/informes with its page count, keep one older version, return its path."""
    language = language or _language()
    with translation.override(language):
        version = data_version()
        path = _compendium_path(version, language)
        rendered: dict = {}
        content = compendium_render(stats=rendered)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".json").write_text(json.dumps({"version": version, "pages": rendered.get("pages")}))
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    tmp.write_bytes(content)
    tmp.replace(path)
    for old in _cached_compendiums(language)[:-2]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
    if stats is not None:
        stats.update(rendered, built=True, version=version, stale=False)
    return path


def _build_in_background(language: str, version: str) -> None:
    key = f"{language}-{version}"
    marker = _cache_dir() / f".compendio-{key}.building"
    with _building_lock:
        if key in _building:
            return
        _cache_dir().mkdir(parents=True, exist_ok=True)
        if marker.exists() and timezone.now().timestamp() - marker.stat().st_mtime > _STALE_BUILD_SECONDS:
            marker.unlink(missing_ok=True)  # left by a build that died
        try:
            marker.touch(exist_ok=False)  # another process may be building it already
        except FileExistsError:
            return
        _building.add(key)

    def run() -> None:
        from django.db import connection

        try:
            compendium_build(language=language)
        finally:
            marker.unlink(missing_ok=True)
            with _building_lock:
                _building.discard(key)
            connection.close()

    threading.Thread(target=run, name=f"compendium-{key}", daemon=True).start()


def compendium_file(*, stats: dict | None = None, background: bool = False) -> Path | None:
    """Return the stored compendium of the current data in the active language. When it is missing: build it
    now, or with `background` start building it and return the previous version's file (None if there is
    none yet). `stats` gets built, stale, building, version and pages."""
    stats = {} if stats is None else stats
    language = _language()
    version = data_version()
    path = _compendium_path(version, language)
    if path.exists():
        meta_file = path.with_suffix(".json")
        meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
        stats.update(built=False, stale=False, building=False, version=version, pages=meta.get("pages"))
        return path
    if not background:
        compendium_build(language=language, stats=stats)
        return path
    _build_in_background(language, version)
    previous = _cached_compendiums(language)
    stats.update(built=False, stale=bool(previous), building=True, version=version, pages=None)
    return previous[-1] if previous else None


def compendium_pdf(*, stats: dict | None = None) -> bytes:
    """Return the compendium of the current data: the stored file, rendered and stored first when missing."""
    path = compendium_file(stats=stats)
    assert path is not None  # built synchronously above
    return path.read_bytes()
