"""Practice filters shared by the search page, its JSON twin, exports and the CLI. Accepts the API's
English parameter names and the pages' Spanish ones."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol
from urllib.parse import urlencode

from buenaspracticas.errors import ValidationError
from buenaspracticas.reference import CRITERIA, DIMENSIONS, REGIONS, STATES_BY_CODE, STATES_BY_SLUG, fold

_STATUS_ALIASES = {
    "active": "active",
    "vigente": "active",
    "activa": "active",
    "suspended": "suspended",
    "suspendida": "suspended",
    "suspendido": "suspended",
}
_TRUE = {"1", "true", "si", "sí", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


# Each facet of the search and the PracticeFilters attribute that filters on it: the one mapping that the
# selectors, the SQL facets and the page's links share.
FACET_ATTRIBUTES = {
    "state": "states",
    "region": "regions",
    "dimension": "dimensions",
    "criterion": "criteria",
    "qualifies": "qualifies",
    "status": "statuses",
    "institution": "institutions",
    "gcm": "gcm",
}
FACETS = tuple(FACET_ATTRIBUTES)


class MultiValueMapping(Protocol):
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class PracticeFilters:
    q: str = ""
    states: tuple[str, ...] = ()  # ISO codes
    regions: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()  # criteria that must all be met
    qualifies: bool | None = None
    statuses: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    gcm: tuple[str, ...] = ()  # GCM objective numbers ("1"–"23"): any of them

    # (attribute, API name, page name)
    PARAMS = (
        ("states", "state", "estado"),
        ("regions", "region", "region"),
        ("dimensions", "dimension", "dimension"),
        ("criteria", "criterion", "criterio"),
        ("statuses", "status", "estatus"),
        ("institutions", "institution", "institucion"),
        ("gcm", "gcm", "gcm"),
    )

    @classmethod
    def from_query(cls, query: MultiValueMapping) -> PracticeFilters:
        """Return the filters a query string asks for; raise ValidationError naming a bad parameter."""

        def values(api: str, page: str) -> list[str]:
            raw = query.getlist(api) + (query.getlist(page) if page != api else [])
            return [v.strip() for item in raw for v in item.split(",") if v.strip()]

        q = " ".join(query.getlist("q")).strip()
        states = tuple(dict.fromkeys(_state_code(v) for v in values("state", "estado")))
        regions = tuple(dict.fromkeys(_choice(v, REGIONS, "region") for v in values("region", "region")))
        dims = tuple(
            dict.fromkeys(
                _choice(v.replace("-", "_"), DIMENSIONS, "dimension")
                for v in values("dimension", "dimension")
            )
        )
        crits = tuple(
            dict.fromkeys(_choice(v, CRITERIA, "criterion") for v in values("criterion", "criterio"))
        )
        statuses = tuple(dict.fromkeys(_status(v) for v in values("status", "estatus")))
        institutions = tuple(dict.fromkeys(values("institution", "institucion")))
        gcm = tuple(dict.fromkeys(_gcm(v) for v in values("gcm", "gcm")))
        qual_raw = (query.getlist("qualifies") or query.getlist("califica") or [""])[-1].strip().lower()
        if qual_raw in _TRUE:
            qualifies = True
        elif qual_raw in _FALSE:
            qualifies = False
        elif qual_raw == "":
            qualifies = None
        else:
            raise ValidationError(
                f"Valor inválido para qualifies: «{qual_raw}» (use true o false).", field="qualifies"
            )
        return cls(
            q=q,
            states=states,
            regions=regions,
            dimensions=dims,
            criteria=crits,
            qualifies=qualifies,
            statuses=statuses,
            institutions=institutions,
            gcm=gcm,
        )

    def is_empty(self) -> bool:
        return self == PracticeFilters()

    def without(self, attribute: str) -> PracticeFilters:
        """Return these filters with one facet cleared (facet counts respect the other filters)."""
        default = {f.name: f.default for f in fields(self)}[attribute]
        return PracticeFilters(
            **{**{f.name: getattr(self, f.name) for f in fields(self)}, attribute: default}
        )

    def query_items(self, *, page: bool = True) -> list[tuple[str, str]]:
        """Return the (name, value) pairs of a stable URL for these filters (page or API names)."""
        items: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for attribute, api, page_name in self.PARAMS:
            for value in getattr(self, attribute):
                if attribute == "states" and page:
                    value = STATES_BY_CODE[value].slug
                items.append((page_name if page else api, value))
        if self.qualifies is not None:
            items.append(("califica" if page else "qualifies", "true" if self.qualifies else "false"))
        return items

    def query_string(self, *, page: bool = True) -> str:
        return urlencode(self.query_items(page=page))


def _state_code(value: str) -> str:
    upper = value.upper()
    if upper in STATES_BY_CODE:
        return upper
    if "MX-" + upper in STATES_BY_CODE:
        return "MX-" + upper
    slug = fold(value).replace(" ", "-")
    if slug in STATES_BY_SLUG:
        return STATES_BY_SLUG[slug].code
    raise ValidationError(
        f"Estado desconocido «{value}» (use un código ISO como MX-OAX o un slug como oaxaca).", field="state"
    )


def _choice(value: str, allowed, field: str) -> str:
    folded = fold(value)
    if folded in allowed:
        return folded
    raise ValidationError(
        f"Valor desconocido para {field}: «{value}» (válidos: {', '.join(allowed)}).", field=field
    )


def _status(value: str) -> str:
    folded = fold(value)
    if folded in _STATUS_ALIASES:
        return _STATUS_ALIASES[folded]
    raise ValidationError(f"Estatus desconocido «{value}» (válidos: active, suspended).", field="status")


def _gcm(value: str) -> str:
    if value.isdigit() and 1 <= int(value) <= 23:
        return str(int(value))
    raise ValidationError(
        f"Objetivo del Pacto Mundial desconocido «{value}» (use un número del 1 al 23).", field="gcm"
    )
