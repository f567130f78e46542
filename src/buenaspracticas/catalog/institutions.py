"""When two printed names are the same institution. Reports name one office in several ways: with and without
its acronym ("Instituto Poblano de Asistencia al Migrante" / "… (IPAM)"), cut short but with its acronym
("Consejo Estatal para la Protección (COESPO)"), in capitals, or with a partner ("… en coordinación con el
INM"). Pure Python: the services decide, from these keys, which record a name belongs to."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# "(COESPO)", "(IPAM)", "(Sibiso)": an acronym in brackets at the end, or after a comma ("…, SIBISO").
_ACRONYM = re.compile(r"(?:\(\s*([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ]{1,11})\s*\)|,\s*([A-ZÁÉÍÓÚÑ]{3,12}))\s*$")
# A partner named after the institution does not change which institution coordinates.
_PARTNER = re.compile(r"\s+(?:en\s+coordinaci[oó]n|en\s+colaboraci[oó]n|junto)\s+con\s+.*$", re.IGNORECASE)
_FUNCTION_WORDS = frozenset("de del la las los el y e al a para en con por".split())


@dataclass(frozen=True)
class InstitutionKey:
    acronym: str  # upper case, "" when the name gives none
    words: tuple[str, ...]  # the name's content words, folded (no accents, lower case), in order


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def clean_name(name: str) -> str:
    """Return a printed name with its spaces normalised and any partner clause removed."""
    return _PARTNER.sub("", " ".join((name or "").split())).strip(" ,;")


def institution_key(name: str) -> InstitutionKey:
    """Return what identifies an institution in a printed name: its acronym and its content words."""
    name = clean_name(name)
    acronym = ""
    match = _ACRONYM.search(name)
    if match:
        acronym = (match.group(1) or match.group(2)).upper()
        name = name[: match.start()]
    elif re.fullmatch(r"[A-ZÁÉÍÓÚÑ]{2,12}", name.strip()):
        return InstitutionKey(name.strip(), ())  # an institution named by its acronym alone ("el IPAM")
    words = tuple(w for w in re.findall(r"\w+", _fold(name)) if w not in _FUNCTION_WORDS)
    return InstitutionKey(acronym, words)


def same_institution(a: InstitutionKey, b: InstitutionKey) -> bool:
    """Return whether two keys name the same institution: the same acronym (a name cut short keeps it); or,
    where one lacks it, the same words. Different acronyms are different institutions, whatever the words."""
    if a.acronym and b.acronym:
        return a.acronym == b.acronym
    return bool(a.words) and a.words == b.words


def preferred_name(names: list[str]) -> str:
    """Return the name to show for an institution printed in several ways: with its acronym, not in capitals,
    worded as most of the printings word it (a name cut short is outvoted), the shortest among equals."""
    cleaned = [clean_name(n) for n in names if n and n.strip()]
    keys = [institution_key(n).words for n in cleaned]

    def rank(item: tuple[str, tuple[str, ...]]) -> tuple:
        name, words = item
        letters = [c for c in name if c.isalpha()]
        capitals = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
        return (bool(institution_key(name).acronym), not capitals, keys.count(words), -len(name))

    return max(zip(cleaned, keys, strict=True), key=rank, default=("", ()))[0]
