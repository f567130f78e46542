"""Practice fichas (placeholder until the practice parser lands)."""

from __future__ import annotations

from buenaspracticas.ingest.records import PracticeRecord, Problem
from buenaspracticas.ingest.text import ReportText, StateSection


def parse_practices(report: ReportText, section: StateSection) -> tuple[list[PracticeRecord], list[Problem]]:
    """Return the distinct practices of one state's section and the problems met."""
    return [], []
