"""A document's metadata (title, publisher, year, the names of the sources it cites) as input: read from a
sidecar file next to the text ('informe.meta.json' or 'informe.txt.meta.json') and overridden by what the
caller gives (`buenaspracticas ingest PATH --title … --publisher … --year …`). Nothing here names a report.
Pure Python, no Django."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from buenaspracticas.errors import IngestError


@dataclass(frozen=True)
class DocumentMeta:
    title: str = ""
    publisher: str = ""
    year: int | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)


def sidecar_paths(path: Path) -> list[Path]:
    """Return where a text's sidecar may be: its name with '.meta.json' instead of, or after, its suffix."""
    return [path.with_suffix(".meta.json"), path.with_name(path.name + ".meta.json")]


def read_sidecar(path: str | Path) -> DocumentMeta:
    """Return the metadata in the sidecar next to `path` (empty when there is none); raise IngestError
    naming the file and field for a sidecar that is not valid."""
    for candidate in sidecar_paths(Path(path)):
        if candidate.is_file():
            return _parse(candidate)
    return DocumentMeta()


def _parse(path: Path) -> DocumentMeta:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(
            f"los metadatos no son JSON legible ({exc})",
            file=str(path),
            expected='{"title": …, "publisher": …, "year": …}',
        ) from exc
    if not isinstance(data, dict):
        raise IngestError(
            "los metadatos deben ser un objeto JSON",
            file=str(path),
            expected='{"title": …, "publisher": …, "year": …}',
        )
    for key in ("title", "publisher"):
        if not isinstance(data.get(key, ""), str):
            raise IngestError(f"'{key}' debe ser texto", file=str(path), field=key)
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100):
        raise IngestError("'year' debe ser un año (número entero)", file=str(path), field="year")
    sources = data.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise IngestError("'sources' debe ser una lista de nombres", file=str(path), field="sources")
    return DocumentMeta(
        title=data.get("title", "").strip(),
        publisher=data.get("publisher", "").strip(),
        year=year,
        sources=tuple(s.strip() for s in sources if s.strip()),
    )


def document_meta(
    path: str | Path, *, title: str | None = None, publisher: str | None = None, year: int | None = None
) -> DocumentMeta:
    """Return the metadata of the document at `path`: its sidecar's, with any value given here winning."""
    meta = read_sidecar(path)
    given = {
        k: v for k, v in (("title", title), ("publisher", publisher), ("year", year)) if v not in (None, "")
    }
    return replace(meta, **given)
