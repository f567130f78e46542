"""Values a practice's text states outright: the population dimensions its dimensions field names, whether
the programme is suspended, and the one count of people its eficacia evidence reports. Pure Python, no
Django."""

from __future__ import annotations

import re

from buenaspracticas.reference import fold

_DIMENSIONS = (
    ("desplazamiento_interno", r"desplazamiento\s+interno|desplazad[oa]s\s+internos?"),
    ("refugio", r"refugi[oa]"),
    ("origen", r"\borigen\b"),
    ("transito", r"\btransito\b"),
    ("destino", r"\bdestino\b"),
    ("retorno", r"\bretorno\b"),
)


def dimensions_in(text: str) -> list[str]:
    folded = fold(text)
    found = []
    for code, pattern in _DIMENSIONS:
        m = re.search(pattern, folded)
        if m:
            found.append((m.start(), code))
    return [code for _, code in sorted(found)]


SUSPENDED = re.compile(
    r"suspendid[oa]s?\b|se suspendi[oó]|se suspendieron|en pausa|\bpausad[oa]\b|se paus[oó]", re.I
)


def beneficiaries_in(text: str) -> int | None:
    folded = fold(text)
    number = r"(\d{1,3}(?:(?:,\s?|\s)\d{3})*(?:\s+mil(?:\s+\d{1,3})?)?|\d+)"
    people = r"(?:personas|beneficiari[oa]s|ninas|ninos|adultos mayores|usuarios|migrantes)"
    totals = {
        _to_int(m.group(1)) for m in re.finditer(rf"total de {number}\s+(?:\w+\s+){{0,1}}{people}", folded)
    }
    if len(totals) == 1:
        return totals.pop()
    sentences = [s for s in re.split(r"(?<=[.;])\s+", folded) if "meta" not in s]
    counts = set()
    for s in sentences:
        if not re.search(r"atend|benefici|favorec|brind|apoy|reencontr|registr|alcance", s):
            continue
        for m in re.finditer(
            rf"(?<![\d,])(?:a|de|con)\s+(?:mas de\s+)?{number}\s+(?:\w+\s+){{0,1}}{people}", s
        ):
            counts.add(_to_int(m.group(1)))
    if len(counts) == 1:
        return counts.pop()
    return None


def _to_int(text: str) -> int:
    text = text.strip()
    m = re.fullmatch(r"(\d+)\s+mil(?:\s+(\d{1,3}))?", text)
    if m:
        return int(m.group(1)) * 1000 + int(m.group(2) or 0)
    return int(re.sub(r"[,\s]", "", text))
