"""Every figure the parser can produce has a readable label on the state page and in the PDFs."""

from buenaspracticas.ingest.parser import parse_file
from buenaspracticas.web.presenters import INDICATOR_LABELS


def test_every_indicator_key_of_the_report_has_a_label(report_path):
    keys = {i.key for p in parse_file(report_path).panoramas for i in p.indicators}
    assert sorted(keys - set(INDICATOR_LABELS)) == []
