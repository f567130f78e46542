"""A portable backend: stems every published practice's text in Python and ranks by matched stems.
Good for small catalogues; the database-native backends replace it at scale."""

from __future__ import annotations

import html
import re
from collections import Counter

from buenaspracticas.catalog.models import Practice
from buenaspracticas.search.backends import SearchHit
from buenaspracticas.search.text import stem_word, stems

_WEIGHTS = {"title": 3.0, "institution": 1.5, "target_population": 1.5, "description": 1.0, "evidence": 0.5}


class SimpleBackend:
    def _documents(self) -> list[tuple[str, dict[str, str]]]:
        docs = []
        for p in (
            Practice.objects.filter(workflow_state=Practice.Workflow.PUBLISHED)
            .select_related("institution", "state")
            .prefetch_related("assessments")
        ):
            docs.append(
                (
                    p.public_id,
                    {
                        "title": p.title,
                        "institution": p.institution.name if p.institution else "",
                        "target_population": p.target_population,
                        "description": f"{p.state.name}. {p.description}",
                        "evidence": " ".join(a.evidence for a in p.assessments.all()),
                    },
                )
            )
        return docs

    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Return practices whose text shares stems with the query, best first."""
        wanted = set(stems(query))
        if not wanted:
            return []
        hits = []
        for practice_id, fields in self._documents():
            score = 0.0
            matched: set[str] = set()
            for name, text in fields.items():
                counts = Counter(stems(text))
                for stem in wanted:
                    if counts[stem]:
                        score += _WEIGHTS[name] * (1 + min(counts[stem], 5) / 5)
                        matched.add(stem)
            if matched:
                score *= len(matched) / len(wanted)
                hits.append(SearchHit(practice_id, score, _highlight(fields, wanted)))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def reindex(self) -> int:
        return len(self._documents())


def highlight(text: str, wanted_stems: set[str], *, width: int = 220) -> str:
    """Return an HTML-escaped excerpt of text around the first matched word, matched words in <mark>."""
    words = list(re.finditer(r"\w+", text))
    hits = [m for m in words if stem_word(m.group(0)) in wanted_stems]
    if not hits:
        return ""
    start = max(0, hits[0].start() - width // 3)
    end = min(len(text), start + width)
    out, pos = [], start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")


def _highlight(fields: dict[str, str], wanted: set[str]) -> dict[str, str]:
    out = {}
    for name in ("title", "description", "evidence"):
        snippet = highlight(fields[name], wanted)
        if snippet:
            out[name] = snippet
    return out
