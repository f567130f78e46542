"""Practice fichas: one PracticeRecord per distinct practice of a state section. Pure Python, no Django.

How the text is read (rules, not line numbers):

* **Blocks.** The state's practice table starts at its first "CUADRO n BUENAS PRÁCTICAS …" heading and
  ends at the table's source note ("Elaboración propia …") or the section's end. It is cut into blocks;
  a block starts at a CUADRO heading, at a practice header (a number of one or two digits, alone or
  followed by capitals, followed by the title in capitals), at a *truncated* header (a run of capital
  lines without a number directly before "INSTITUCIÓN QUE COORDINA" or "CRITERIOS DE EVALUACIÓN", as
  continuation pages print it), or at a second "CRITERIOS DE EVALUACIÓN" of the same block. Page
  furniture is already blank in the ReportText (:mod:`buenaspracticas.ingest.furniture`); a paragraph whose
  sentence is unfinished where furniture was goes on after it. URL lines and footnotes (a number, a
  space and a capital, until the next blank line) are left out of every text, and so are the footnote
  markers the report's marker chain (:func:`buenaspracticas.ingest.footnotes.markers_by_line`) finds on
  the table's lines, glued ("lenguas94") or set apart at a line's end ("otros contextos. 83"). Numbers may
  be printed '3', '3.', '3)', 'Práctica 3'.
* **Table.** ``source.table`` is the number of the nearest "CUADRO n" heading at or before the practice's
  first line within the table; None when the table prints no such heading.
* **Practices.** A block with a number starts a practice unless that number is already taken by a
  practice whose title agrees (then it continues it). A block without its own fields (institution…)
  whose title equals an earlier practice's title continues that practice even if its number differs
  (a number conflict, reported). A number out of the state's sequence (beyond the next one) over a piece
  of the last practice's title, without fields of its own, is a page number: the block continues the
  last practice. A block without a number continues the last practice when its title
  fragment is part of that title or it has no title; a block without a number but with its own fields
  is a new practice numbered after the last one (reported). The practice's title comes from its first
  complete header; ids use the number as printed.
* **Fields.** "INSTITUCIÓN QUE COORDINA", "DIMENSIÓN DE LA POBLACIÓN QUE ATIENDE", "POBLACIÓN OBJETIVO"
  take their paragraph (wrapped lines included). The description is the text after "CARACTERÍSTICAS /
  DESCRIPCIÓN (DE LA PRÁCTICA)" up to the criteria, plus the description text of continuation blocks;
  without such a label, the paragraphs after the last field are the description. Extra paragraphs
  between a field and a later description label stay with that field.
* **Verdicts.** The marks line(s) after "CRITERIOS DE EVALUACIÓN" name the five criteria; a mark
  belongs to the name before it (✓✔☑✅ met, ✗✘✕✖☒❌ not met); a name without a mark is ``unknown``.
  A repeated criteria block of the same practice adds evidence; if its marks disagree, the first
  readable mark wins and the conflict is reported.
* **Evidence.** See :mod:`buenaspracticas.ingest.practices_evidence`.
* **Status** is ``suspended`` when the description or evidence says the programme is suspended or paused
  ("suspendido", "se suspendió", "en pausa"); **beneficiaries** is the one count of people the eficacia
  evidence states as served/benefited (a "total de N personas" first), else None.
* **Truncation.** A practice without a readable criteria block is a Problem, unless its text runs to
  the end of the report: then the report is truncated and IngestError names the practice's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest import practices_text as T
from buenaspracticas.ingest.footnotes import drop_line_markers, markers_by_line
from buenaspracticas.ingest.practices_blocks import Block, furniture_gaps, read_blocks, without_blank_lines
from buenaspracticas.ingest.practices_evidence import assign_with_confidence
from buenaspracticas.ingest.practices_fields import SUSPENDED, beneficiaries_in, dimensions_in
from buenaspracticas.ingest.records import Assessment, PracticeRecord, Problem, Source
from buenaspracticas.ingest.text import ReportText, StateSection
from buenaspracticas.reference import CRITERIA, fold

FIELDS = ("institution", "dimensions", "target_population")


@dataclass
class _Practice:
    number: int
    blocks: list[Block]
    title_block: Block


# How much an evidence split's confidence keeps when the extractor printed no blank lines, so the paragraphs
# it stands on were guessed from where sentences end (ingest.practices_blocks.read_blocks, sentences=True).
GUESSED_PARAGRAPHS = 0.75


def parse_practices(report: ReportText, section: StateSection) -> tuple[list[PracticeRecord], list[Problem]]:
    """Return the distinct practices of one state's section and the problems met."""
    problems: list[Problem] = []
    lines = list(report.lines)
    area = _practice_area(lines, section)
    if area is None:
        return [], []
    first, last = area
    # Footnote markers on the table's lines go before anything is read ("otros contextos. 83" →
    # "otros contextos."): the marker chain of the whole report says which digits are markers.
    marked = markers_by_line(report.lines)
    for n in range(first, last + 1):
        if n in marked:
            lines[n - 1] = drop_line_markers(lines[n - 1], marked[n])
    footnotes = _footnote_numbers(lines, first, last)
    gaps = furniture_gaps(lines, report.furniture)
    sentences = without_blank_lines(lines, first, last, gaps)
    blocks = read_blocks(lines, first, last, problems, gaps, sentences=sentences)
    practices = _group(blocks, problems, footnotes)
    vocab = T.vocabulary(report.lines)
    records = []
    for p in practices:
        rec = _record(report, section, p, vocab, footnotes, problems, lines)
        if rec is not None:
            # The table the practice is printed in: the nearest "CUADRO n" heading of the table's lines
            # before (or at) the practice's first line.
            rec.source.table = T.table_before(lines, first, rec.source.first_line)
            if sentences:
                _guessed_paragraphs(rec)
            records.append(rec)
    return records, problems


def _guessed_paragraphs(rec: PracticeRecord) -> None:
    """Lower the evidence split's confidence where its paragraphs were guessed from where sentences end: a
    cut misplaced there shifts every column after it, so each criterion is as sure as the least sure one,
    times GUESSED_PARAGRAPHS; not sure at all when a marked criterion was left without evidence."""
    known = [a.split_confidence for a in rec.criteria.values() if a.split_confidence is not None]
    if not known:
        return
    least = round(min(known) * GUESSED_PARAGRAPHS, 2)
    if any(a.verdict != "unknown" and not a.evidence.strip() for a in rec.criteria.values()):
        least = 0.0  # a marked criterion left without evidence: a paragraph start was not found
    for assessment in rec.criteria.values():  # an empty column too: it is where the cut went wrong
        assessment.split_confidence = least


# --- the table's extent --------------------------------------------------------------------------


def _practice_area(lines: list[str], section: StateSection) -> tuple[int, int] | None:
    start = None
    for n in range(section.first_line, section.last_line + 1):
        if T.CUADRO_PRACTICES.match(lines[n - 1]):
            start = n
            break
    if start is None:  # no table heading: start at the first header before a field label
        for n in range(section.first_line, section.last_line + 1):
            if T.LABELS["institution"].match(lines[n - 1]):
                start = n
                while start > section.first_line and (
                    not lines[start - 2].strip()
                    or T.is_upper_text(lines[start - 2])
                    or T.HEADER_NUMBER.match(lines[start - 2])
                ):
                    start -= 1
                break
    if start is None:
        return None
    end = section.last_line
    for n in range(start, section.last_line + 1):
        if T.SOURCE_NOTE.match(lines[n - 1]):
            end = n - 1
            break
        if n > start and T.CUADRO_ANY.match(lines[n - 1]) and not T.CUADRO_PRACTICES.match(lines[n - 1]):
            end = n - 1  # another table (the next state's panorama) begins
            break
    return start, end


def _footnote_numbers(lines: list[str], first: int, last: int) -> set[int]:
    found = set()
    for n in range(first, last + 1):
        m = T.FOOTNOTE.match(lines[n - 1])
        if m and not T.is_upper_text(lines[n - 1]):
            found.add(int(m.group(1)))
    return found


# --- grouping blocks into practices ---------------------------------------------------------------


def _title_key(block: Block) -> list[str]:
    text = " ".join(x.strip() for x in block.title_lines)
    text = re.sub(r"([^\W\d_])-\s+", r"\1", text)
    text = re.sub(r"([^\W\d_)”\"])\d{1,3}\b", r"\1", text)
    return [w for w in re.split(r"[^a-z0-9]+", fold(text)) if w]


def _is_fragment(part: list[str], whole: list[str]) -> bool:
    """Return True when part's words occur in whole in order and part ends where whole ends (a truncated
    continuation header such as 'DE CONTROL COORDINADO (RLC)')."""
    if not part or not whole or len(part) > len(whole) or part[-1] != whole[-1]:
        return False
    it = iter(whole)
    return all(any(w == x for x in it) for w in part)


def _is_prefix(part: list[str], whole: list[str]) -> bool:
    if len(part) > len(whole):
        return False
    return whole[: len(part) - 1] == part[:-1] and whole[len(part) - 1].startswith(part[-1])


def _compatible(a: list[str], b: list[str]) -> bool:
    return a == b or _is_fragment(a, b) or _is_fragment(b, a) or _is_prefix(a, b) or _is_prefix(b, a)


def _group(blocks: list[Block], problems: list[Problem], footnotes: set[int]) -> list[_Practice]:
    practices: list[_Practice] = []
    for b in blocks:
        key = _title_key(b)
        own_fields = "institution" in b.fields
        target: _Practice | None = None
        if b.number is not None:
            same_num = next((p for p in practices if p.number == b.number), None)
            same_title = next((p for p in practices if key and _title_key(p.title_block) == key), None)
            if same_num is not None and (
                _compatible(key, _title_key(same_num.title_block)) or not own_fields
            ):
                target = same_num
                if (
                    same_num.title_block.truncated
                    and not b.truncated
                    and len(key) >= len(_title_key(same_num.title_block))
                ):
                    same_num.title_block = b
            elif same_title is not None and not own_fields:
                target = same_title
                problems.append(
                    Problem(
                        b.header_line or b.start,
                        "number",
                        f"el bloque lleva el número {b.number} pero repite el título de la práctica "
                        f"{same_title.number}; se une a la práctica {same_title.number}",
                    )
                )
            elif (
                same_num is None
                and practices
                and b.number > practices[-1].number + 1
                and not own_fields
                and (not key or _is_fragment(key, _title_key(practices[-1].title_block)))
            ):
                # A number out of the state's sequence over a piece of the last practice's title, without
                # fields of its own: a page number over a continuation page, not a new practice.
                target = practices[-1]
            elif same_num is not None:
                number = max(p.number for p in practices) + 1
                problems.append(
                    Problem(
                        b.header_line or b.start,
                        "number",
                        f"el número {b.number} ya corresponde a otra práctica con otro título; "
                        f"se numera como {number}",
                    )
                )
                practices.append(_Practice(number, [b], b))
                continue
        elif practices:
            last = practices[-1]
            if not key or _is_fragment(key, _title_key(last.title_block)) or not own_fields:
                target = last
                if key and not _is_fragment(key, _title_key(last.title_block)):
                    problems.append(
                        Problem(
                            b.header_line or b.start,
                            "title",
                            "encabezado truncado sin número "
                            f"('{' '.join(x.strip() for x in b.title_lines)}'); "
                            f"se une a la práctica {last.number}",
                        )
                    )
            else:
                number = last.number + 1
                problems.append(
                    Problem(
                        b.header_line or b.start,
                        "number",
                        f"práctica sin número impreso; se numera como {number} "
                        f"(la anterior es {last.number})",
                    )
                )
                practices.append(_Practice(number, [b], b))
                continue
        elif b.number is None:
            if not own_fields:
                problems.append(
                    Problem(
                        b.start, "practice", "texto de práctica sin encabezado ni práctica previa; se omite"
                    )
                )
                continue
            problems.append(
                Problem(b.header_line or b.start, "number", "práctica sin número impreso; se numera como 1")
            )
            practices.append(_Practice(1, [b], b))
            continue
        if target is None:
            practices.append(_Practice(b.number, [b], b))  # type: ignore[arg-type]
        else:
            target.blocks.append(b)
    return practices


# --- records ------------------------------------------------------------------------------------


def _paragraph_text(para: list[str], vocab: frozenset[str], footnotes: set[int]) -> str:
    text = T.clean_text(T.join_lines(para), vocab, footnotes)
    return re.sub(r"^[.,;:]+\s+", "", text)  # a stray mark left at a column's top ('. La práctica')


def _field_text(paras: list[list[str]], vocab, footnotes) -> str:
    texts = [_paragraph_text(p, vocab, footnotes) for p in paras]
    return " ".join(t for t in texts if t)


def _record(report, section, p: _Practice, vocab, footnotes, problems, lines) -> PracticeRecord | None:
    first = min(b.start for b in p.blocks)
    last = max(b.end for b in p.blocks)
    anchor = p.title_block.header_line or first
    title = T.clean_text(T.join_lines(p.title_block.title_lines), vocab, footnotes, title=True).rstrip(" .")
    if p.title_block.truncated:
        problems.append(
            Problem(
                anchor, "title", f"el título de la práctica {p.number} está truncado en el informe: '{title}'"
            )
        )
    fields: dict[str, str] = {}
    description: list[str] = []
    for b in p.blocks:
        for name in FIELDS:
            paras = b.fields.get(name)
            if not paras or name in fields:
                continue
            if name == "target_population" and not b.has_description_label and len(paras) > 1:
                fields[name] = _field_text(paras[:1], vocab, footnotes)
                description.extend(_paragraph_text(x, vocab, footnotes) for x in paras[1:])
            else:
                fields[name] = _field_text(paras, vocab, footnotes)
        description.extend(_paragraph_text(x, vocab, footnotes) for x in b.description)
    description = T.merge_broken_paragraphs([d for d in description if d and re.search(r"\w", d)])
    for name in FIELDS:
        if not fields.get(name):
            problems.append(Problem(anchor, name, f"la práctica {p.number} no indica '{name}'"))
    target_population = fields.get("target_population", "").rstrip(" .")
    dims = dimensions_in(fields.get("dimensions", ""))
    if fields.get("dimensions") and not dims:
        problems.append(
            Problem(
                p.title_block.field_lines.get("dimensions", anchor),
                "dimensions",
                f"ninguna dimensión reconocida en '{fields['dimensions']}'",
            )
        )
    criteria_blocks = [c for b in p.blocks for c in b.criteria]
    cut_short = not criteria_blocks or (
        not any(c.marks_ok for c in criteria_blocks) and not any(c.paragraphs for c in criteria_blocks)
    )
    if cut_short:
        if _runs_to_end(lines, last):
            raise IngestError(
                "el informe termina antes de los criterios de evaluación de la práctica "
                f"{p.number} ({title})",
                file=report.file,
                line=anchor,
                field="criteria",
                expected="'CRITERIOS DE EVALUACIÓN' con las marcas de Sostenibilidad, Asociación, "
                "Innovación, Replicabilidad y Eficacia",
            )
        if not criteria_blocks:
            problems.append(
                Problem(
                    anchor, "criteria", f"la práctica {p.number} no tiene bloque de criterios de evaluación"
                )
            )
            criteria = {c: Assessment("unknown", "") for c in CRITERIA}
            return _make(
                section, p, title, fields, dims, target_population, description, criteria, report, first, last
            )
    verdicts = {c: "unknown" for c in CRITERIA}
    for cb in criteria_blocks:
        if not cb.marks_ok:
            problems.append(
                Problem(
                    cb.line,
                    "criteria",
                    "línea de marcas ilegible: no nombra los cinco criterios o una marca es contradictoria",
                )
            )
    for c in CRITERIA:
        seen = [cb.marks[c] for cb in criteria_blocks if cb.marks[c] != "unknown"]
        if seen:
            verdicts[c] = seen[0]
            if len(set(seen)) > 1:
                problems.append(
                    Problem(
                        criteria_blocks[1].line,
                        "criteria",
                        f"marcas contradictorias para {c} en bloques repetidos; se toma la primera",
                    )
                )
    evidence: dict[str, list[str]] = {c: [] for c in CRITERIA}
    confidence: dict[str, float] = {}
    for i, cb in enumerate(criteria_blocks):
        paras = [_paragraph_text(x, vocab, footnotes) for x in cb.paragraphs]
        paras = T.merge_broken_paragraphs([x for x in paras if x and re.search(r"\w", x)])
        if i == 0:
            labels, sure = assign_with_confidence(paras)
        else:
            unfinished = next(
                (
                    c
                    for c in CRITERIA
                    if evidence[c]
                    and (T.ends_dangling(evidence[c][-1]) or not re.search(r"[.:;!?)”\"]$", evidence[c][-1]))
                ),
                None,
            )
            labels, sure = assign_with_confidence(paras, continuation_page=True, unfinished=unfinished)
        for c, value in sure.items():  # the least sure of a criterion's splits
            confidence[c] = min(value, confidence.get(c, 1.0))
        for text, c in zip(paras, labels, strict=True):
            if (
                i > 0
                and evidence[c]
                and not re.search(r"[.:;!?)”\"]$", evidence[c][-1])
                and (text[:1].islower() or T.ends_dangling(evidence[c][-1]))
            ):
                evidence[c][-1] = evidence[c][-1] + " " + text
            else:
                evidence[c].append(text)
    criteria = {c: Assessment(verdicts[c], "\n\n".join(evidence[c]), confidence.get(c)) for c in CRITERIA}
    return _make(
        section, p, title, fields, dims, target_population, description, criteria, report, first, last
    )


def _runs_to_end(lines: list[str], last: int) -> bool:
    return not any(x.strip() for x in lines[last:])


def _make(section, p, title, fields, dims, target_population, description, criteria, report, first, last):
    desc_text = "\n\n".join(description)
    all_text = desc_text + "\n" + "\n".join(a.evidence for a in criteria.values())
    status = "suspended" if SUSPENDED.search(all_text) else "active"
    return PracticeRecord(
        state_code=section.state.code,
        number=p.number,
        title=title,
        institution=fields.get("institution", "").strip().rstrip(" ."),
        dimensions=dims,
        target_population=target_population,
        description=desc_text,
        criteria=criteria,
        status=status,
        beneficiaries=beneficiaries_in(criteria["eficacia"].evidence),
        source=Source(document=report.document, first_line=first, last_line=last),
    )
