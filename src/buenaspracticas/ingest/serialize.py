"""JSON shapes for parsed records that need more than one record (the State JSON)."""

from __future__ import annotations

from dataclasses import asdict

from buenaspracticas.ingest.panorama_keys import panorama_dict
from buenaspracticas.ingest.records import ParsedReport
from buenaspracticas.reference import STATES_BY_CODE


def states_json(parsed: ParsedReport) -> list[dict]:
    """Return one State JSON per state the report covers, in report order."""
    order: list[str] = []
    for code in [p.state_code for p in parsed.panoramas] + [p.state_code for p in parsed.practices]:
        if code not in order:
            order.append(code)
    panoramas = {p.state_code: p for p in parsed.panoramas}
    out = []
    for code in order:
        state = STATES_BY_CODE[code]
        pano = panoramas.get(code)
        out.append(
            {
                "code": state.code,
                "slug": state.slug,
                "name": state.name,
                "region": state.region,
                "practices": [p.id for p in parsed.practices if p.state_code == code],
                "panorama": panorama_dict(pano.indicators) if pano else None,
                "indicators": [asdict(i) for i in pano.indicators] if pano else [],
                "quality_flags": [asdict(f) for f in pano.quality_flags] if pano else [],
                "source": asdict(pano.source) if pano else None,
            }
        )
    return out
