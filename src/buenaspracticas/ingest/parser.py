"""The report parser's entry point: text in, records out (DESIGN.md §4). Pure Python, no Django."""

from __future__ import annotations

from pathlib import Path

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.metadata import DocumentMeta, document_meta
from buenaspracticas.ingest.panorama import parse_panorama
from buenaspracticas.ingest.practices import parse_practices
from buenaspracticas.ingest.practices_blocks import furniture_gaps, without_blank_lines
from buenaspracticas.ingest.records import ParsedReport, Problem
from buenaspracticas.ingest.text import ReportText, load_report, state_sections


def parse_file(
    path: str | Path, *, document: str | None = None, meta: DocumentMeta | None = None
) -> ParsedReport:
    """Return the records of the report at `path`, its metadata from `meta` or else from the sidecar next to
    it (see ingest.metadata); raise IngestError when it cannot be read."""
    meta = meta if meta is not None else document_meta(path)
    return parse_report(load_report(path, document=document, title=meta.title), meta=meta)


def parse_report(report: ReportText, *, meta: DocumentMeta | None = None) -> ParsedReport:
    """Return every practice and state panorama in the report, with the problems met on the way; the
    document's title, publisher and year are its metadata's (the document id when it has no title)."""
    meta = meta or DocumentMeta()
    sections = state_sections(report)
    if not sections:
        raise IngestError(
            "no se encontró ninguna sección estatal",
            file=report.file,
            line=1,
            expected="un encabezado con el nombre de un estado o 'Nombre del estado …'",
        )
    parsed = ParsedReport(
        document=report.document,
        title=meta.title or report.document,
        publisher=meta.publisher,
        year=meta.year,
        sources=meta.sources,
        line_count=len(report.lines),
    )
    lines = list(report.lines)
    if without_blank_lines(lines, 1, len(lines), furniture_gaps(lines, report.furniture)):
        parsed.problems.append(
            Problem(
                line=1,
                field="paragraphs",
                message="el texto no trae líneas en blanco entre párrafos: los párrafos se deducen de donde "
                "terminan las oraciones y la división de la evidencia por criterio se marca para revisar "
                "donde es dudosa",
            )
        )
    for section in sections:
        practices, problems = parse_practices(report, section)
        parsed.practices.extend(practices)
        parsed.problems.extend(problems)
        panorama, problems = parse_panorama(report, section)
        if panorama is not None:
            parsed.panoramas.append(panorama)
        parsed.problems.extend(problems)
    if not parsed.practices:
        raise IngestError(
            "el informe no contiene ninguna práctica",
            file=report.file,
            line=sections[0].first_line,
            expected="fichas con número, título, 'INSTITUCIÓN QUE COORDINA' y 'CRITERIOS DE EVALUACIÓN'",
        )
    return parsed


def report_json(parsed: ParsedReport) -> dict:
    """Return `{"practices": [...], "states": [...]}` in DESIGN.md's shapes, as `ingest --json` writes it."""
    from buenaspracticas.ingest.serialize import states_json

    return {"practices": [p.as_json() for p in parsed.practices], "states": states_json(parsed)}
