"""Practice fichas: one PracticeRecord per distinct practice of a state section. Pure Python, no Django.

How the text is read (rules, not line numbers):

* **Blocks.** The state's practice table starts at its first "CUADRO n BUENAS PRÁCTICAS …" heading and
  ends at the table's source note ("Elaboración propia …") or the section's end. It is cut into blocks;
  a block starts at a CUADRO heading, at a practice header (a number of one or two digits, alone or
  followed by capitals, followed by the title in capitals), at a *truncated* header (a run of capital
  lines without a number directly before "INSTITUCIÓN QUE COORDINA" or "CRITERIOS DE EVALUACIÓN", as
  continuation pages print it), or at a second "CRITERIOS DE EVALUACIÓN" of the same block. Running
  heads, page numbers, URL lines and footnotes (a number, a space and a capital, until the next blank
  line) are left out of every text.
* **Practices.** A block with a number starts a practice unless that number is already taken by a
  practice whose title agrees (then it continues it). A block without its own fields (institution…)
  whose title equals an earlier practice's title continues that practice even if its number differs
  (a number conflict, reported). A block without a number continues the last practice when its title
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
from dataclasses import dataclass, field

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest import practices_text as T
from buenaspracticas.ingest.practices_evidence import assign
from buenaspracticas.ingest.records import Assessment, PracticeRecord, Problem, Source
from buenaspracticas.ingest.text import ReportText, StateSection
from buenaspracticas.reference import CRITERIA, find_state_in, fold

FIELDS = ("institution", "dimensions", "target_population")


@dataclass
class _Criteria:
    line: int
    marks: dict[str, str]
    marks_ok: bool
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Block:
    start: int
    end: int = 0
    number: int | None = None
    header_line: int | None = None
    title_lines: list[str] = field(default_factory=list)
    truncated: bool = False
    fields: dict[str, list[list[str]]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    has_description_label: bool = False
    description: list[list[str]] = field(default_factory=list)
    criteria: list[_Criteria] = field(default_factory=list)


@dataclass
class _Practice:
    number: int
    blocks: list[_Block]
    title_block: _Block


def parse_practices(report: ReportText, section: StateSection) -> tuple[list[PracticeRecord], list[Problem]]:
    """Return the distinct practices of one state's section and the problems met."""
    problems: list[Problem] = []
    lines = list(report.lines)
    T.strip_page_furniture(lines, section.first_line, section.last_line)
    area = _practice_area(lines, section)
    if area is None:
        return [], []
    first, last = area
    footnotes = _footnote_numbers(lines, first, last)
    blocks = _blocks(lines, first, last, problems)
    practices = _group(blocks, problems, footnotes)
    vocab = T.vocabulary(report.lines)
    records = []
    for p in practices:
        rec = _record(report, section, p, vocab, footnotes, problems, lines)
        if rec is not None:
            records.append(rec)
    return records, problems


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


# --- blocks -------------------------------------------------------------------------------------


def _next_nonblank(lines: list[str], n: int, last: int) -> int | None:
    while n <= last:
        if lines[n - 1].strip() and not T.URL_LINE.match(lines[n - 1]):
            return n
        n += 1
    return None


def _is_title_line(line: str) -> bool:
    return (
        bool(line.strip())
        and T.is_upper_text(line)
        and not T.is_label(line)
        and not T.CUADRO_ANY.match(line)
        and not T.FOOTNOTE.match(line)
        and not T.GLYPH.search(line)
        and not T.URL_LINE.match(line)
    )


def _header_at(lines: list[str], n: int, last: int) -> tuple[int, list[str], int] | None:
    """Return (number, title lines, last title line) when a practice header starts at line n."""
    m = T.HEADER_NUMBER.match(lines[n - 1])
    if not m:
        return None
    rest = m.group("rest")
    if rest and not _is_title_line(rest):
        return None
    more, end, _ = _title_run(lines, n + 1, last)
    title = ([rest] if rest else []) + more
    if not title:
        return None
    return int(m.group(1)), title, end if more else n


def _title_run(lines: list[str], k: int, last: int) -> tuple[list[str], int, int]:
    """Return (title lines, last title line, first line after the run) for the run of capitals from line k;
    blank lines inside the run are skipped."""
    title: list[str] = []
    end = k - 1
    while k <= last:
        line = lines[k - 1]
        if not line.strip():
            k += 1
            continue
        if not (_is_title_line(line) and not T.HEADER_NUMBER.match(line)):
            break
        title.append(line)
        end = k
        k += 1
    return title, end, k


def _truncated_header_at(lines: list[str], n: int, last: int) -> tuple[list[str], int] | None:
    """Return (title lines, last title line) for a run of capitals directly before a field or criteria label."""
    if not _is_title_line(lines[n - 1]) or T.HEADER_NUMBER.match(lines[n - 1]):
        return None
    title, end, k = _title_run(lines, n, last)
    if k > last:
        return None
    line = lines[k - 1]
    if T.LABELS["institution"].match(line) or T.CRITERIA_HEADING.match(line):
        if any(re.search(r"[.;:]\s*$", x) for x in title[:-1]):
            return None  # the run starts with the end of a sentence ('CAIM.'), not with a title
        return title, end
    return None


def _parse_marks(lines: list[str], n: int, rest: str, last: int) -> tuple[dict[str, str], bool, int]:
    """Read the marks after a 'CRITERIOS DE EVALUACIÓN' heading at line n. Return (verdicts, readable,
    last line used)."""
    tokens: list[tuple[str, str, int]] = []  # (kind, value, line)
    used = n
    candidates = [(n, rest)] if rest.strip() else []
    k = n + 1
    while k <= last and len(candidates) < 12:
        candidates.append((k, lines[k - 1]))
        k += 1
    seen: set[str] = set()
    garbled = False
    for ln, text in candidates:
        if not text.strip():
            if len(seen) == len(CRITERIA):
                break
            continue
        residue = T.GLYPH.sub("", T.CRITERION_NAME.sub("", text))
        residue = re.sub(r"[\s\ufe0f:;,.|/]+", "", residue)
        starts_with_name = bool(T.CRITERION_NAME.match(text.strip()))
        if residue and not (starts_with_name and len(seen) < len(CRITERIA)):
            break  # prose: the evidence has begun
        if residue:  # a marks line cut or garbled ('Sostenibilidad ✔ Asociación ✔ Innov')
            garbled = True
        line_tokens = []
        for m in re.finditer(f"{T.CRITERION_NAME.pattern}|{T.GLYPH.pattern}", text, re.I):
            if m.lastgroup:
                line_tokens.append(("name", m.lastgroup, ln))
            else:
                line_tokens.append(("glyph", m.group(0), ln))
        if not line_tokens:
            break
        if len(seen) == len(CRITERIA) and line_tokens[0][0] == "name":
            break
        tokens.extend(line_tokens)
        seen.update(v for kind, v, _ in line_tokens if kind == "name")
        used = ln
        if garbled:
            break
    verdicts = {c: "unknown" for c in CRITERIA}
    names = [(i, v) for i, (kind, v, _) in enumerate(tokens) if kind == "name"]
    ok = sorted(v for _, v in names) == sorted(CRITERIA) and not garbled
    for j, (i, name) in enumerate(names):
        stop = names[j + 1][0] if j + 1 < len(names) else len(tokens)
        glyphs = {tokens[x][1] for x in range(i + 1, stop)}
        kinds = {"met" if g in T.MET_GLYPHS else "not_met" for g in glyphs}
        if len(kinds) == 1:
            verdicts[name] = kinds.pop()
        elif len(kinds) > 1:
            ok = False
    return verdicts, ok, used


def _blocks(lines: list[str], first: int, last: int, problems: list[Problem]) -> list[_Block]:
    blocks: list[_Block] = []
    cur: _Block | None = None
    mode = "desc"  # desc | field:<name> | evidence | skip
    para: list[str] | None = None  # the paragraph being filled
    in_footnote = False

    def target() -> list[list[str]] | None:
        if cur is None:
            return None
        if mode == "desc":
            return cur.description
        if mode.startswith("field:"):
            return cur.fields.setdefault(mode[6:], [])
        if mode == "evidence" and cur.criteria:
            return [cur.criteria[-1].paragraphs]  # handled separately
        return None

    def new_block(start: int) -> _Block:
        nonlocal cur, mode, para
        if cur is not None:
            blocks.append(cur)
        cur = _Block(start=start)
        mode, para = "desc", None
        return cur

    n = first
    while n <= last:
        line = lines[n - 1]
        if not line.strip():
            para, in_footnote = None, False
            n += 1
            continue
        if T.URL_LINE.match(line):
            n += 1
            continue
        if T.CUADRO_PRACTICES.match(line):
            new_block(n)
            nxt = _next_nonblank(lines, n + 1, last)
            if (
                nxt
                and T.is_upper_text(lines[nxt - 1])
                and fold(lines[nxt - 1]).startswith("en ")
                and find_state_in(lines[nxt - 1])
            ):
                n = nxt  # the heading's second line: "EN EL ESTADO DE CHIHUAHUA"
            mode = "header"
            n += 1
            continue
        header = _header_at(lines, n, last)
        if header is not None and not in_footnote:
            number, title, end = header
            if cur is None or mode != "header":
                new_block(n)
            cur.number, cur.header_line, cur.title_lines = number, n, title
            mode, para = "desc", None
            n = end + 1
            continue
        trunc = None if in_footnote or mode == "header" else _truncated_header_at(lines, n, last)
        if trunc is not None:
            title, end = trunc
            new_block(n)
            cur.title_lines, cur.truncated, cur.header_line = title, True, n
            n = end + 1
            continue
        if mode == "header" and _is_title_line(line) and cur is not None and not cur.title_lines:
            # a title without its number after a CUADRO heading
            title = [line]
            k = n + 1
            while k <= last and (not lines[k - 1].strip() or _is_title_line(lines[k - 1])):
                if lines[k - 1].strip():
                    title.append(lines[k - 1])
                k += 1
            cur.title_lines, cur.truncated, cur.header_line = title, True, n
            mode = "desc"
            n = k
            continue
        if cur is None:
            n += 1
            continue
        m = T.CRITERIA_HEADING.match(line)
        if m:
            if cur.criteria:
                new_block(n)
            verdicts, ok, used = _parse_marks(lines, n, m.group("rest"), last)
            cur.criteria.append(_Criteria(line=n, marks=verdicts, marks_ok=ok))
            mode, para = "evidence", None
            n = used + 1
            continue
        label = next((name for name, p in T.LABELS.items() if p.match(line)), None)
        if label:
            rest = T.LABELS[label].match(line).group("rest")
            cur.field_lines.setdefault(label, n)
            mode = f"field:{label}"
            para = [rest] if rest.strip() else []
            cur.fields.setdefault(label, []).append(para)
            n += 1
            continue
        dm = T.DESCRIPTION_LABEL.match(line)
        if dm and mode != "evidence":
            cur.has_description_label = True
            mode = "desc"
            rest = dm.group("rest") or ""
            para = [rest] if rest.strip() else None
            if para is not None:
                cur.description.append(para)
            n += 1
            continue
        fm = T.FOOTNOTE.match(line)
        if (fm and not T.is_upper_text(line)) or in_footnote:
            in_footnote = True
            n += 1
            continue
        if T.BARE_NUMBER.match(line):
            n += 1
            continue
        if mode == "header":
            mode = "desc"
        if para is None:
            para = []
            if mode == "evidence":
                cur.criteria[-1].paragraphs.append(para)  # type: ignore[arg-type]
            elif mode.startswith("field:"):
                cur.fields.setdefault(mode[6:], []).append(para)
            else:
                cur.description.append(para)
        para.append(line)
        n += 1
    if cur is not None:
        blocks.append(cur)
    for b in blocks:
        b.end = b.start
    for i, b in enumerate(blocks):
        stop = blocks[i + 1].start - 1 if i + 1 < len(blocks) else last
        while stop > b.start and not lines[stop - 1].strip():
            stop -= 1
        b.end = stop
    return [b for b in blocks if b.title_lines or b.criteria or b.fields or b.description]


# --- grouping blocks into practices ---------------------------------------------------------------


def _title_key(block: _Block) -> list[str]:
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


def _group(blocks: list[_Block], problems: list[Problem], footnotes: set[int]) -> list[_Practice]:
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
                            f"encabezado truncado sin número ('{' '.join(x.strip() for x in b.title_lines)}'); "
                            f"se une a la práctica {last.number}",
                        )
                    )
            else:
                number = last.number + 1
                problems.append(
                    Problem(
                        b.header_line or b.start,
                        "number",
                        f"práctica sin número impreso; se numera como {number} (la anterior es {last.number})",
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


_DIMENSIONS = (
    ("desplazamiento_interno", r"desplazamiento\s+interno|desplazad[oa]s\s+internos?"),
    ("refugio", r"refugi[oa]"),
    ("origen", r"\borigen\b"),
    ("transito", r"\btransito\b"),
    ("destino", r"\bdestino\b"),
    ("retorno", r"\bretorno\b"),
)


def _dimensions(text: str) -> list[str]:
    folded = fold(text)
    found = []
    for code, pattern in _DIMENSIONS:
        m = re.search(pattern, folded)
        if m:
            found.append((m.start(), code))
    return [code for _, code in sorted(found)]


_SUSPENDED = re.compile(
    r"suspendid[oa]s?\b|se suspendi[oó]|se suspendieron|en pausa|\bpausad[oa]\b|se paus[oó]", re.I
)


def _beneficiaries(text: str) -> int | None:
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
    dims = _dimensions(fields.get("dimensions", ""))
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
                f"el informe termina antes de los criterios de evaluación de la práctica {p.number} ({title})",
                file=report.file,
                line=anchor,
                field="criteria",
                expected="'CRITERIOS DE EVALUACIÓN' con las marcas de Sostenibilidad, Asociación, Innovación, "
                "Replicabilidad y Eficacia",
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
    for i, cb in enumerate(criteria_blocks):
        paras = [_paragraph_text(x, vocab, footnotes) for x in cb.paragraphs]
        paras = T.merge_broken_paragraphs([x for x in paras if x and re.search(r"\w", x)])
        if i == 0:
            labels = assign(paras)
        else:
            unfinished = next(
                (c for c in CRITERIA if evidence[c] and (T.ends_dangling(evidence[c][-1])
                                                         or not re.search(r"[.:;!?)”\"]$", evidence[c][-1]))),
                None,
            )
            labels = assign(paras, continuation_page=True, unfinished=unfinished)
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
    criteria = {c: Assessment(verdicts[c], "\n\n".join(evidence[c])) for c in CRITERIA}
    return _make(
        section, p, title, fields, dims, target_population, description, criteria, report, first, last
    )


def _runs_to_end(lines: list[str], last: int) -> bool:
    return not any(x.strip() for x in lines[last:])


def _make(section, p, title, fields, dims, target_population, description, criteria, report, first, last):
    desc_text = "\n\n".join(description)
    all_text = desc_text + "\n" + "\n".join(a.evidence for a in criteria.values())
    status = "suspended" if _SUSPENDED.search(all_text) else "active"
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
        beneficiaries=_beneficiaries(criteria["eficacia"].evidence),
        source=Source(document=report.document, first_line=first, last_line=last),
    )
