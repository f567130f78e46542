"""The JSON API (/api/v1): thin over the selectors; errors mapped to HTTP in one place."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError

from buenaspracticas import __version__
from buenaspracticas.api.schemas import ErrorOut, PracticeListOut, PracticeOut, StateOut
from buenaspracticas.catalog import selectors
from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.errors import AppError

api = NinjaAPI(
    title="buenaspracticas API",
    version=__version__,
    description="Catálogo de buenas prácticas en política migratoria local (OIM/CONOFAM): prácticas con sus "
                "cinco criterios y la evidencia de cada valoración, y los panoramas migratorios estatales.",
    urls_namespace="api",
)


@api.exception_handler(AppError)
def app_error(request: HttpRequest, exc: AppError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):
    return api.create_response(
        request, {"error": "ValidationError", "message": "Parámetros inválidos.", "details": {"errors": exc.errors}},
        status=422,
    )


class PracticeQuery(Schema):
    q: str | None = None
    state: list[str] | None = None
    region: list[str] | None = None
    dimension: list[str] | None = None
    criterion: list[str] | None = None
    qualifies: bool | None = None
    status: list[str] | None = None
    institution: list[str] | None = None
    limit: int = 20
    offset: int = 0


@api.get("/practices", response={200: PracticeListOut, 422: ErrorOut}, tags=["practices"])
def list_practices(request: HttpRequest, params: Query[PracticeQuery]):
    """Published practices matching the filters, with facet counts (each facet counted under the others)."""
    limit = max(0, min(params.limit, 500))
    offset = max(0, params.offset)
    filters = PracticeFilters.from_query(request.GET)
    result = selectors.practice_search(filters=filters, limit=limit, offset=offset)
    return {**result, "limit": limit, "offset": offset}


@api.get("/practices/{practice_id}", response={200: PracticeOut, 404: ErrorOut}, tags=["practices"])
def get_practice(request: HttpRequest, practice_id: str):
    """One practice (ficha) by its id, e.g. baja-california-2."""
    return selectors.practice_get(practice_id=practice_id)


@api.get("/states", response=list[StateOut], tags=["states"])
def list_states(request: HttpRequest):
    """The 32 states with their practices and panorama (null where no report covers the state)."""
    return selectors.state_list()


@api.get("/states/{code}", response={200: StateOut, 404: ErrorOut}, tags=["states"])
def get_state(request: HttpRequest, code: str):
    """One state by ISO 3166-2 code (MX-OAX) or slug (oaxaca)."""
    return selectors.state_get(key=code)



# Features register their operations on `api` (imported last, after the read routes exist).
import buenaspracticas.curation.api  # noqa: E402,F401
import buenaspracticas.reports.api  # noqa: E402,F401
