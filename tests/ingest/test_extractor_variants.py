"""The same report as other PDF extractors give it (page furniture elsewhere, other spacing and line
endings) parses to the same practices and panoramas."""

from __future__ import annotations

import re

import pytest

from buenaspracticas.ingest.parser import parse_report, report_json
from buenaspracticas.ingest.text import report_from_text

HEAD = "BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA DESDE EL ÁMBITO LOCAL"


def _summary(text: str):
    data = report_json(parse_report(report_from_text(text)))
    practices = {
        p["id"]: (p["title"], p["institution"], p["dimensions"], [c["verdict"] for c in p["criteria"].values()],
                  p["status"])
        for p in data["practices"]
    }
    return practices, {s["code"]: s["panorama"] for s in data["states"]}


def _at_page_starts(lines: list[str], furniture) -> str:
    out, page = [], 10
    for line in lines:
        if re.match(r"^\s*CUADRO \d+", line):
            page += 1
            out += furniture(page)
        out.append(line)
    return "\n".join(out)


def _every(lines: list[str], step: int, furniture) -> str:
    out = []
    for i, line in enumerate(lines):
        if i and i % step == 0:
            out += furniture(i // step)
        out.append(line)
    return "\n".join(out)


VARIANTS = {
    "page number and running head on their own lines": lambda ls: _at_page_starts(
        ls, lambda n: ["", str(n), HEAD, "\f"]),
    "running head, page number and region on three lines": lambda ls: _at_page_starts(
        ls, lambda n: [HEAD, str(n), "REGIÓN NORTE", ""]),
    "bare page numbers": lambda ls: _at_page_starts(ls, lambda n: ["", f"  {n}  ", ""]),
    "running heads at arbitrary places": lambda ls: _every(ls, 55, lambda n: ["", f"{HEAD} {n}", f"\f{n}"]),
    "form feeds glued to page starts": lambda ls: "\n".join(
        ("\f" + x) if re.match(r"^\s*CUADRO", x) else x for x in ls),
    "CRLF without trailing spaces": lambda ls: "\r\n".join(x.rstrip() for x in ls),
    "no leading spaces": lambda ls: "\n".join(x.lstrip() for x in ls),
    "tabs for double spaces": lambda ls: "\n".join(x.replace("  ", "\t") for x in ls),
}


@pytest.fixture(scope="module")
def original(report_path):
    text = report_path.read_text(encoding="utf-8")
    return text, _summary(text)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_other_extractor_layouts_give_the_same_catalogue(original, variant):
    text, (practices, panoramas) = original
    got_practices, got_panoramas = _summary(VARIANTS[variant](text.split("\n")))
    assert got_practices == practices
    assert got_panoramas == panoramas
