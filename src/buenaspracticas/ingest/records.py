"""Plain records the parser returns, in the JSON shapes of DESIGN.md §4. No Django here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from buenaspracticas.reference import CRITERIA, QUALIFYING_MINIMUM, STATES_BY_CODE


@dataclass
class Source:
    document: str
    first_line: int
    last_line: int
    # The number of the report's table (cuadro) the record is printed in: the nearest "CUADRO n" heading
    # before the record's block; None when the text prints no such heading (never guessed).
    table: int | None = None


@dataclass
class Assessment:
    verdict: str  # met | not_met | unknown
    evidence: str = ""
    # How sure the automatic split of the evidence columns is (0–1); None when nothing was split.
    split_confidence: float | None = None


@dataclass
class PracticeRecord:
    state_code: str
    number: int
    title: str
    institution: str
    dimensions: list[str]
    target_population: str
    description: str
    criteria: dict[str, Assessment]
    status: str  # active | suspended
    beneficiaries: int | None
    source: Source

    @property
    def id(self) -> str:
        return f"{STATES_BY_CODE[self.state_code].slug}-{self.number}"

    @property
    def criteria_met(self) -> int:
        return sum(1 for a in self.criteria.values() if a.verdict == "met")

    def as_json(self) -> dict[str, Any]:
        """Return the practice in DESIGN.md's Practice JSON shape."""
        state = STATES_BY_CODE[self.state_code]
        return {
            "id": self.id,
            "state": {"code": state.code, "slug": state.slug, "name": state.name, "region": state.region},
            "number": self.number,
            "title": self.title,
            "institution": self.institution,
            "dimensions": list(self.dimensions),
            "target_population": self.target_population,
            "description": self.description,
            "criteria": {
                c: {"verdict": self.criteria[c].verdict, "evidence": self.criteria[c].evidence}
                for c in CRITERIA
            },
            "criteria_met": self.criteria_met,
            "qualifies": self.criteria_met >= QUALIFYING_MINIMUM,
            "beneficiaries": self.beneficiaries,
            "status": self.status,
            "source": asdict(self.source),
        }


@dataclass
class Indicator:
    """One panorama figure: its key (a DESIGN.md panorama key), value, unit, period and source."""

    key: str
    value: float | int
    unit: str  # personas | porcentaje | entradas | tarjetas
    period: str  # e.g. "2020", "2015-03/2020-03", "2021-01/2021-06"
    source: str
    line: int
    label: str = ""  # the country, municipality or cause for list items
    note: str = ""


@dataclass
class QualityFlag:
    """Figures in the source that contradict each other."""

    kind: str  # parts_do_not_add_up | share_contradicts_counts | period_differs | label_contradicts_value
    indicators: list[str]
    message: str
    first_line: int
    last_line: int


@dataclass
class PanoramaRecord:
    state_code: str
    indicators: list[Indicator]
    quality_flags: list[QualityFlag]
    source: Source

    def panorama(self) -> dict[str, Any]:
        """Return the DESIGN.md panorama dict (keys absent from the text are None)."""
        from buenaspracticas.ingest.panorama_keys import panorama_dict

        return panorama_dict(self.indicators)


@dataclass
class Problem:
    """Something in the text the parser could not read; reported, never silently dropped."""

    line: int
    field: str
    message: str


@dataclass
class ParsedReport:
    document: str
    title: str
    publisher: str = ""
    year: int | None = None
    sources: tuple[str, ...] = ()
    practices: list[PracticeRecord] = field(default_factory=list)
    panoramas: list[PanoramaRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    line_count: int = 0
