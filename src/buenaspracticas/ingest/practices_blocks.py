"""Cutting a state's practice table into blocks: a block starts at a CUADRO heading, a practice header
(its number, then its title in capitals), a truncated header (capitals right before a field or criteria
label) or a second criteria block; each block holds its title lines, field paragraphs, description
paragraphs and criteria blocks (marks and evidence paragraphs). See :mod:`buenaspracticas.ingest.practices`
for the rules. Pure Python, no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from buenaspracticas.ingest import practices_text as T
from buenaspracticas.ingest.records import Problem
from buenaspracticas.reference import CRITERIA, find_state_in


@dataclass
class CriteriaBlock:
    line: int
    marks: dict[str, str]
    marks_ok: bool
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Block:
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
    criteria: list[CriteriaBlock] = field(default_factory=list)


def _next_nonblank(lines: list[str], n: int, last: int) -> int | None:
    while n <= last:
        if lines[n - 1].strip() and not T.URL_LINE.match(lines[n - 1]):
            return n
        n += 1
    return None


def _heading_end(lines: list[str], n: int, last: int) -> int:
    """Return the last line of the table heading that starts at line n. An extractor may wrap the heading
    anywhere ("… A LA ATENCIÓN DE" / "PERSONAS MIGRANTES EN OAXACA", "… EN BAJA" / "CALIFORNIA",
    "… MIGRANTES" / "EN EL ESTADO DE CHIHUAHUA"): a line of capitals goes on the heading while the heading
    stops on a word no sentence ends on, or while it names no state and the line completes one."""
    heading, end = lines[n - 1], n
    while (k := _next_nonblank(lines, end + 1, last)) is not None:
        nxt = lines[k - 1]
        if (
            not T.is_upper_text(nxt)
            or T.HEADER_NUMBER.match(nxt)
            or T.is_label(nxt)
            or T.CUADRO_ANY.match(nxt)
        ):
            break
        if not (
            T.ends_dangling(heading) or (not find_state_in(heading) and find_state_in(f"{heading} {nxt}"))
        ):
            break
        heading, end = f"{heading} {nxt.strip()}", k
    return end


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


def _labelled(lines: list[str], end: int, last: int) -> bool:
    """Return True when a label (a field's, the description's, the criteria heading) follows line `end`:
    a header, not a note that goes on in capitals (an extractor may print no blank line after a footnote)."""
    k = _next_nonblank(lines, end + 1, last)
    return k is not None and T.is_label(lines[k - 1])


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
    """Return (title lines, last title line) for a run of capitals directly before a field or criteria
    label."""
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


def furniture_gaps(lines: list[str], furniture: frozenset[int]) -> set[int]:
    """Return the blank lines (1-based) of the runs of blank lines that hold page furniture: a paragraph
    whose sentence is unfinished there goes on after the page break."""
    gaps: set[int] = set()
    for n in furniture:
        if n in gaps:
            continue
        a = b = n
        while a > 1 and not lines[a - 2].strip():
            a -= 1
        while b < len(lines) and not lines[b].strip():
            b += 1
        gaps.update(range(a, b + 1))
    return gaps


def without_blank_lines(lines: list[str], first: int, last: int, gaps: set[int]) -> bool:
    """Return True when the extractor printed no blank lines between paragraphs on lines first..last (the
    few there are stand where page furniture was taken out: `gaps`, see furniture_gaps)."""
    blank = sum(1 for n in range(first, last + 1) if not lines[n - 1].strip() and n not in gaps)
    return last - first > 50 and blank < 0.01 * (last - first + 1)


def _continues(before: str, lines: list[str], n: int, last: int) -> bool:
    """Return True when the sentence of `before` goes on in the next non-blank line after line n: it stops
    on a comma, a hyphen or a word no sentence ends on, or the next line starts with a small letter."""
    k = _next_nonblank(lines, n, last)
    after = lines[k - 1].strip() if k else ""
    if not after or T.is_label(after):
        return False
    return bool(T.ends_dangling(before) or before.rstrip().endswith(",") or after[:1].islower())


def read_blocks(
    lines: list[str],
    first: int,
    last: int,
    problems: list[Problem],
    gaps: set[int] = frozenset(),
    *,
    sentences: bool = False,
) -> list[Block]:
    """Cut lines first..last into blocks. sentences: the extractor printed no blank line between paragraphs,
    so a paragraph also ends where a sentence ends at the end of a line and the next line opens another."""
    blocks: list[Block] = []
    cur: Block | None = None
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

    def new_block(start: int) -> Block:
        nonlocal cur, mode, para
        if cur is not None:
            blocks.append(cur)
        cur = Block(start=start)
        mode, para = "desc", None
        return cur

    n = first
    while n <= last:
        line = lines[n - 1]
        if not line.strip():
            if not (n in gaps and para and _continues(para[-1], lines, n, last)):
                para = None
            in_footnote = False
            n += 1
            continue
        if T.URL_LINE.match(line):
            n += 1
            continue
        if T.CUADRO_PRACTICES.match(line):
            new_block(n)
            mode, in_footnote = "header", False  # a table heading opens a page: the notes are behind
            n = _heading_end(lines, n, last) + 1
            continue
        header = _header_at(lines, n, last)
        if header is not None and (not in_footnote or _labelled(lines, header[2], last)):
            in_footnote = False
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
            cur.criteria.append(CriteriaBlock(line=n, marks=verdicts, marks_ok=ok))
            mode, para, in_footnote = "evidence", None, False
            n = used + 1
            continue
        label = next((name for name, p in T.LABELS.items() if p.match(line)), None)
        if label:
            rest = T.LABELS[label].match(line).group("rest")
            cur.field_lines.setdefault(label, n)
            mode, in_footnote = f"field:{label}", False
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
        if sentences and para and T.ends_sentence(para[-1]) and T.opens_sentence(line):
            para = None
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
