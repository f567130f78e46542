"""The bundled report as other PDF extractors give it: for each variant of
tests/ingest/test_extractor_variants.py (page furniture elsewhere, other wrapping, no blank lines, other
characters), how many practices the parser
finds, how many carry the title read by hand, how close each criterion's evidence is to the bundled text's
split (mean word overlap, Jaccard) and, of the criteria whose evidence differs, how many ask an evaluator for
review ("división automática: revisar").

    python benchmarks/extractor_variants.py

Writes benchmarks/results/extractor_variants.json."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(Path(__file__).resolve().parent)]
from _results import write_results  # noqa: E402

SAME = 0.8  # evidence whose word overlap with the bundled split is below this counts as differing


def _overlap(a: str, b: str) -> float:
    x, y = set(a.split()), set(b.split())
    return len(x & y) / len(x | y) if x | y else 1.0


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buenaspracticas.settings")
    import django

    django.setup()
    from buenaspracticas.curation.selectors import SPLIT_REVIEW_BELOW
    from buenaspracticas.ingest.parser import parse_report
    from buenaspracticas.ingest.text import report_from_text
    from tests.ingest import test_extractor_variants as truth

    text = (ROOT / "data" / "informe-buenas-practicas-oim-conofam.txt").read_text(encoding="utf-8")
    bundled = {p.id: p for p in parse_report(report_from_text(text)).practices}
    figures = {}
    for name, make in sorted(truth.VARIANTS.items()):
        got = {p.id: p for p in parse_report(report_from_text(make(text.split("\n")))).practices}
        titles = sum(1 for pid, row in truth.PRACTICES.items() if pid in got and got[pid].title == row[1])
        overlaps, differing, flagged = [], 0, 0
        for pid, practice in bundled.items():
            if pid not in got:
                continue
            for code, assessment in practice.criteria.items():
                other = got[pid].criteria[code]
                overlaps.append(_overlap(assessment.evidence, other.evidence))
                if overlaps[-1] < SAME:
                    differing += 1
                    confidence = other.split_confidence
                    flagged += confidence is not None and confidence < SPLIT_REVIEW_BELOW
        figures[name] = {
            "practices": len(got),
            "titles_as_read": f"{titles}/{len(truth.PRACTICES)}",
            "evidence_overlap": round(sum(overlaps) / len(overlaps), 3) if overlaps else 0.0,
            "criteria_differing": differing,
            "differing_flagged_for_review": flagged,
        }
    write_results("extractor_variants", figures)


if __name__ == "__main__":
    main()
