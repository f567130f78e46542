"""State panoramas (placeholder until the panorama parser lands)."""

from __future__ import annotations

from buenaspracticas.ingest.records import PanoramaRecord, Problem
from buenaspracticas.ingest.text import ReportText, StateSection


def parse_panorama(report: ReportText, section: StateSection) -> tuple[PanoramaRecord | None, list[Problem]]:
    """Return the state's panorama figures with units, periods, sources and quality flags."""
    return None, []
