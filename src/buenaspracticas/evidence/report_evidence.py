"""Evidence the report states about itself, read from its text (pure Python, no Django): where a state's
table of practices came from ("Elaboración propia … complementada a través de entrevistas con el personal
de …", an interview record of that state and institution) and what it says was suspended or paused (the
report's own sentence, quoted with its lines, for the findings matrix). Nothing is retyped or invented:
every value is a slice of the report's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from buenaspracticas.ingest.records import PracticeRecord
from buenaspracticas.ingest.text import ReportText, is_furniture, state_sections
from buenaspracticas.reference import fold

# Found by its general wording, on the accent-folded text: "complementada (a través de) entrevistas con el
# personal de/del/de la …"; the institution is what follows, to the end of the sentence.
_INTERVIEW_STATEMENT = re.compile(r"complementad[ao]s?\b.{0,40}?\bentrevistas?\s+con\s+(?:el\s+)?personal\s+")
_LEADING_ARTICLE = re.compile(r"^(?:de\s+los|de\s+las|de\s+la|del|de)\s+", re.I)
_DANGLING = re.compile(r"\b(?:de|del|la|las|los|el|a|y|en|con)$", re.I)
# The wording the practices parser reads as a suspended programme (ingest.practices), on any line of the
# practice's range, footnotes included (CDMX's «Ciudad Hospitalaria» is said suspended in its footnote).
_SUSPENDED = re.compile(
    r"suspendid[oa]s?\b|se suspendi[oó]|se suspendieron|en pausa|\bpausad[oa]\b|se paus[oó]", re.I
)


@dataclass(frozen=True)
class InterviewStatement:
    """The report's statement that a state's table was complemented by interviews with an institution."""

    state_code: str
    institution: str
    text: str
    first_line: int
    last_line: int


@dataclass(frozen=True)
class SuspensionQuote:
    """The report's sentence(s) saying a practice's programme was suspended or paused."""

    text: str
    first_line: int
    last_line: int


def interview_statements(report: ReportText) -> list[InterviewStatement]:
    """Return every statement of interviews in the report, each in the state whose section holds it."""
    out = []
    for section in state_sections(report):
        n = section.first_line
        while n <= section.last_line:
            line = report.line(n)
            m = _INTERVIEW_STATEMENT.search(fold(line))
            if not m:
                n += 1
                continue
            last, text = n, line.strip()
            # A statement cut at a dangling word continues on the next line ("… el personal de la / OFAM.").
            while _DANGLING.search(text) and last < section.last_line and report.line(last + 1).strip():
                last += 1
                text = f"{text} {report.line(last).strip()}"
            rest = text[text.lower().find("entrevista") :]
            institution = rest.split("personal", 1)[1] if "personal" in rest else ""
            institution = _LEADING_ARTICLE.sub("", institution.strip()).rstrip(" .;")
            institution = re.sub(r"\s+del\s+estado$", "", institution, flags=re.I)
            if institution:
                out.append(InterviewStatement(section.state.code, institution, text, n, last))
            n = last + 1
    return out


def _paragraph(report: ReportText, number: int, first: int, last: int) -> tuple[int, int]:
    """Return the lines of the paragraph holding line `number`, within first..last."""
    a = number
    while a > first and report.line(a - 1).strip() and not is_furniture(report.line(a - 1)):
        a -= 1
    b = number
    while b < last and report.line(b + 1).strip() and not is_furniture(report.line(b + 1)):
        b += 1
    return a, b


def _sentence(report: ReportText, a: int, b: int, match_line: int, match_at: int) -> SuspensionQuote:
    """Return the sentence around a match at (match_line, column match_at) in the paragraph a..b."""
    starts, text = [], ""
    for n in range(a, b + 1):
        if text:
            text += " "
        starts.append((len(text), n))
        text += report.line(n).strip()
    offset = next(o for o, n in starts if n == match_line) + max(
        0, match_at - (len(report.line(match_line)) - len(report.line(match_line).lstrip()))
    )
    previous = text.rfind(". ", 0, offset)
    begin = previous + 2 if previous >= 0 else 0
    stop = text.find(". ", offset)
    end = len(text) if stop < 0 else stop + 1
    line_of = lambda pos: max(n for o, n in starts if o <= pos)  # noqa: E731
    return SuspensionQuote(text[begin:end].strip(), line_of(begin), line_of(max(begin, end - 1)))


def suspension_quote(report: ReportText, practice: PracticeRecord) -> SuspensionQuote | None:
    """Return the report's sentences saying the practice was suspended or paused (None when it says not)."""
    first, last = practice.source.first_line, practice.source.last_line
    quotes: list[SuspensionQuote] = []
    for n in range(first, last + 1):
        line = report.line(n)
        if is_furniture(line):
            continue
        for m in _SUSPENDED.finditer(line):
            a, b = _paragraph(report, n, first, last)
            quote = _sentence(report, a, b, n, m.start())
            if quote not in quotes:
                quotes.append(quote)
    if not quotes:
        return None
    return SuspensionQuote(
        " … ".join(q.text for q in quotes),
        min(q.first_line for q in quotes),
        max(q.last_line for q in quotes),
    )
