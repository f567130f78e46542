"""State panoramas: every figure of a state's "PANORAMA MIGRATORIO ESTATAL" tables as an Indicator with
its unit, period and source, and quality flags where the source's figures contradict each other.

How it reads (pure Python; line breaks and bullets carry no meaning, so other extractors' layouts read alike):
the panorama's content is joined into one text and cut into figures (numbers.find_numbers); each figure is
named by the words right after it ("26 600 personas emigraron", "430 residencias temporales") or, when
those name nothing, by its label before it ("Aéreas: 24,369"), within the running context that headers
and lead-in phrases set ("Demarcaciones territoriales con mayor porcentaje…", "Inmigrantes internacionales
por país de origen:"). Sources come from the footnote a figure (or its paragraph, or its table heading)
cites, "Ídem" resolved; periods from the phrases in the text ("entre enero y junio de 2021").
"""

from __future__ import annotations

import re

from buenaspracticas.ingest.numbers import Number, find_numbers
from buenaspracticas.ingest.panorama_checks import quality_flags
from buenaspracticas.ingest.panorama_output import _Block, _Figure, _Output
from buenaspracticas.ingest.panorama_rules import (
    _CONTEXTS,
    _DELIM,
    _HEADING,
    _HEADING_KIND,
    _SEX_ES,
    _add,
    _after_key,
    _after_label,
    _before_item,
    _before_key,
    _before_label,
    _clean_label,
    _compatible,
    _is_year,
    _skip,
    _snippet,
    _split_cause,
    fold_text,
)
from buenaspracticas.ingest.panorama_text import (
    PanoramaText,
    ReportContext,
    find_panorama,
    fold_same_length,
    period_in,
    report_context,
    split_citation,
)
from buenaspracticas.ingest.records import PanoramaRecord, Problem, QualityFlag, Source
from buenaspracticas.ingest.text import ReportText, StateSection


def parse_panorama(report: ReportText, section: StateSection) -> tuple[PanoramaRecord | None, list[Problem]]:
    """Return the state's panorama figures with units, periods, sources and quality flags."""
    text = find_panorama(report, section)
    if text is None:
        return None, [
            Problem(
                section.first_line,
                "panorama",
                f"la sección de {section.state.name} no tiene un cuadro 'PANORAMA MIGRATORIO ESTATAL'",
            )
        ]
    reader = _Reader(text, report_context(report), section)
    reader.read()
    if not reader.figures:
        return None, reader.problems + [
            Problem(text.first_line, "panorama", "el panorama no contiene ninguna cifra legible")
        ]
    indicators = reader.indicators()
    flags = reader.flags + quality_flags(indicators, reader.context, section.state.name)
    flags.sort(key=lambda f: (f.first_line, f.kind))
    record = PanoramaRecord(
        section.state.code,
        indicators,
        flags,
        Source(report.document, text.first_line, text.last_line, text.table),
    )
    return record, reader.problems


class _Reader(_Output):
    """Walks a panorama's text figure by figure (see the module docstring); the output half (periods,
    sources, derived figures, flags) is in panorama_output."""

    def __init__(self, text: PanoramaText, context: ReportContext, section: StateSection) -> None:
        self.t = text
        self.context = context
        self.section = section
        self.figures: list[_Figure] = []
        self.problems: list[Problem] = []
        self.flags: list[QualityFlag] = []
        self.notes = text.footnotes
        self.extra: list[_Figure] = []  # figures read from footnotes
        self.missing: set[int] = set()
        self.carry: int | None = None

    # -- the walk ---------------------------------------------------------------------------------------
    def read(self) -> None:
        raw = self.t.text
        tokens = find_numbers(raw, self.notes.keys())
        # The text with footnote markers blanked, for labels and sentence ends ("…del país).46 Un total…").
        chars = list(raw)
        for tok in tokens:
            span = (
                (tok.start, tok.end)
                if tok.is_marker
                else ((tok.end, tok.marker_end) if tok.marker is not None and tok.marker_end else None)
            )
            if span:
                for k in range(*span):
                    chars[k] = " "
        t = self.t.clean = "".join(chars)
        f = fold_same_length(t)
        # A heading word stands alone: what follows starts a new phrase ("Población Cuenta con…",
        # "Inmigración61"),
        # unlike "Población nacida en otros países".
        headings = [
            (m.start(1), m.group(1))
            for m in _HEADING.finditer(f)
            if m.group(1).startswith(("estadistica", "datos", "causas"))
            or not re.match(r"\s*[a-zñáéíóú]", t[m.end(1) :])
        ]
        found = [
            (m.start(), m.end(), name)
            for name, rx in _CONTEXTS
            for m in re.finditer(rx.replace(" ", r"\s+"), f)
        ]
        # A phrase inside a longer one ("…con más personas nacidas en otro país") does not count on its own.
        contexts = sorted(
            (s0, name)
            for s0, e0, name in found
            if not any(s1 <= s0 and e0 <= e1 and (s1, e1) != (s0, e0) for s1, e1, _ in found)
        )
        self.sentence_ends = [m.end() for m in _DELIM.finditer(t)] + [len(t)]
        blocks = [_Block()]
        self.blocks = blocks
        pending: list[_Figure] = []  # figures of the block not yet given a source
        ctx, prev_end, last_fig_end = None, 0, 0
        last: _Figure | None = None  # the figure of the previous token, if it was one
        muni_names: list[str] = []
        country = ""
        hi = ci = 0
        for n, tok in enumerate(tokens):
            while hi < len(headings) and headings[hi][0] < tok.start:
                word = headings[hi][1]
                kind = _HEADING_KIND.get(word.split()[0], word.split()[0])
                word = " ".join(word.split())
                if blocks[-1].has_figure:
                    self._close(pending, blocks[-1])
                    pending = []
                    blocks.append(_Block())
                    last = None
                blocks[-1].kinds.add(kind)
                hi += 1
            while ci < len(contexts) and contexts[ci][0] < tok.start:
                ctx = contexts[ci][1]
                ci += 1
            block = blocks[-1]
            gap = t[prev_end : tok.start]
            fuente = re.search(r"fuente\s*:\s*(.+)$", gap, re.I | re.S)
            if fuente:
                cite = " ".join(fuente.group(1).split()) + (f" {tok.value}" if _is_year(tok) else "")
                cite = split_citation(cite)[0] or cite.strip(" .")
                self._cite(pending, cite)
                pending = []
                block.citation = block.citation or cite
            acr = re.search(r"(?i:datos|estad[ií]sticas?) de la\s+([A-Z]{3,})", gap)
            if acr and not block.has_figure and not block.citation:
                block.citation = acr.group(1)
            if not block.has_figure and block.period is None:
                block.period = period_in(fold_text(t[prev_end : tok.end + 1]))
            if tok.is_marker or tok.marker is not None:
                number = int(tok.value) if tok.is_marker else tok.marker
                if number not in self.notes and number not in self.missing:
                    self.missing.add(number)
                    self.problems.append(
                        Problem(
                            self.t.line_at(tok.start),
                            "panorama.source",
                            f"la nota al pie {number} citada en el cuadro no aparece en la sección",
                        )
                    )
            if tok.is_marker:
                same = last if last is not None and last.sentence == self._sentence(tok.start) else None
                pending = self._marker(int(tok.value), pending, block, same)
                if same is None and int(tok.value) in self.notes and self.notes[int(tok.value)].note:
                    self.carry = int(tok.value)
                prev_end = tok.end
                continue
            sent = self._sentence(tok.start)
            nxt = tokens[n + 1].start if n + 1 < len(tokens) else len(t)
            before_text = t[last_fig_end : tok.start]
            after_text = t[tok.end : nxt]
            b_label, colon = _before_label(before_text)
            b_label = " ".join(b_label.split())
            b_item = " ".join(_before_item(before_text).split())
            self.after_raw = _after_label(after_text)
            a = fold_text(self.after_raw)
            full_a = fold_text(after_text)
            if _skip(tok, fold_text(b_label), a):
                if tok.marker is not None:
                    pending = self._marker(tok.marker, pending, block, None)
                prev_end = tok.token_end
                continue
            result = self._classify(
                tok,
                fold_text(b_label),
                colon,
                b_label,
                b_item,
                a,
                full_a,
                ctx,
                muni_names,
                country,
                fold_text(t[sent[0] : sent[1]]),
            )
            if result is None:
                self.problems.append(
                    Problem(
                        self.t.line_at(tok.start),
                        "panorama",
                        f"cifra sin clave de panorama: «{_snippet(t, tok)}»",
                    )
                )
                prev_end = last_fig_end = tok.token_end
                last = None
                continue
            key, label, note = result
            if key == "_country":
                country = label
                key = "immigrants_by_country"
            if key == "_muni_names":
                muni_names[:] = label
                key, label = "municipality_pct", muni_names.pop(0) if muni_names else ""
            fig = _Figure(
                tok,
                key,
                tok.value,
                label,
                note,
                block=len(blocks) - 1,
                heading=frozenset(block.kinds),
                sentence=sent,
                line=self.t.line_at(tok.start),
                context=b_label + " " + self.after_raw,
            )
            year = (block.period or self.context.bulletin_period or "")[:4] or None
            fig.period = period_in(fold_text(b_item + " " + self.after_raw), year)
            block.has_figure = True
            if self.carry is not None:  # "acciones de protección86, entre ellas: 1,893 orientaciones"
                self._marker(self.carry, [], block, fig)
                self.carry = None
            self.figures.append(fig)
            pending.append(fig)
            last = fig
            if tok.marker is not None:
                pending = self._marker(tok.marker, pending, block, fig)
            # A parenthesised citation in the same sentence: "(CONAPO, Anuario de Migración y Remesas, 2021)".
            rest = t[tok.end : sent[1]]
            paren = re.search(
                r"\(([^()]*\b(?:CONAPO|INEGI|Censo|Anuario|Bolet[ií]n|UPMRIP|BBVA)\b[^()]*)(?:\)|$)", rest
            )
            if paren and tok.end + paren.start() < nxt:  # right after the figure, before any other number
                same = [x for x in pending if x.sentence == sent]
                self._cite(same, " ".join(paren.group(1).split()).strip(" ."))
                pending = [x for x in pending if x.sentence != sent]
            prev_end = last_fig_end = tok.token_end
        self._close(pending, blocks[-1])

    def _sentence(self, pos: int) -> tuple[int, int]:
        start = 0
        for e in self.sentence_ends:
            if e > pos:
                return start, e
            start = e
        return start, len(self.t.text)

    def _marker(
        self, number: int, pending: list[_Figure], block: _Block, own: _Figure | None
    ) -> list[_Figure]:
        """Apply footnote `number`: its citation to the figures it closes, its note to the figure it follows.
        Return the figures still waiting for a source."""
        note = self.notes.get(number)
        if note is None:
            return pending
        if note.citation:
            if not block.has_figure:
                block.citation = note.citation  # a heading's footnote: the whole part of the table
            waiting = [f for f in pending if not _compatible(note.citation, f.key)]
            self._cite([f for f in pending if _compatible(note.citation, f.key)], note.citation)
            pending = waiting
        text = re.sub(r"\s*Disponible en:?\s*\S*", "", note.note).strip()
        if text and own is not None:
            own.note = _add(own.note, f"Nota {number}: {text}")
            self._from_note(note, own)
        return pending

    def _from_note(self, note, target: _Figure) -> None:
        """Figures a footnote adds: the stated share of national entries, the national entries total."""
        folded = fold_text(note.note)
        for tok in find_numbers(note.note):
            if tok.is_marker:
                continue
            if tok.percent and "total de entradas" in folded:
                key = "entries_pct_national"
            elif not tok.percent and tok.value >= 100_000 and ("entradas" in folded or "registros" in folded):
                key = "entries_national_total"
            else:
                continue
            self.extra.append(
                _Figure(
                    tok,
                    key,
                    tok.value,
                    note=f"Nota {note.number}",
                    line=note.line,
                    block=target.block,
                    heading=target.heading,
                    sentence=(-note.number, -note.number),
                )
            )

    def _cite(self, figures: list[_Figure], citation: str) -> None:
        for fig in figures:
            if not fig.source:
                fig.source = citation

    def _close(self, pending: list[_Figure], block: _Block) -> None:
        if block.citation:
            self._cite([f for f in pending if _compatible(block.citation, f.key)], block.citation)

    # -- naming a figure ------------------------------------------------------------------------------
    def _classify(
        self,
        tok: Number,
        b: str,
        colon: bool,
        b_raw: str,
        b_item: str,
        a: str,
        full_a: str,
        ctx: str | None,
        muni_names: list[str],
        country: str,
        sentence: str,
    ):
        pct = tok.percent
        # Words right after the figure that name it.
        after = _after_key(a, full_a, pct, b, sentence)
        lower_after = bool(
            re.match(r"\s*(?:personas?\s+)?menor", self.after_raw)
        )  # "81 personas menores…", not "Menores…"
        # A capital after the figure starts the next item ("525 Tarjetas de Residente Permanente…" when
        # bullets are lost), so a label before the figure wins over it.
        new_item = bool(re.match(r"\s*[A-ZÁÉÍÓÚÑ]", self.after_raw)) and (
            bool(_before_key(b, pct, sentence, ctx))
            or (pct and ctx in ("causes", "cause_muni", "immig_country"))
        )
        if after and (
            (after[0] in ("assisted_return_minors", "repatriated_minors") and lower_after)
            or not ((colon or new_item) and _before_key(b, pct, sentence, ctx))
        ):
            if after[0] in ("_men", "_women"):
                return self._sexed(after[0], tok, sentence)
            label = after[1]
            if label == "@after":  # "97% de ellas en Estados Unidos" → the country as written
                m = re.search(r"\ben\s+(.+?)(?:\s+y(?:\s+el)?\s*$|$)", " ".join(self.after_raw.split()))
                label = m.group(1).strip(" .,") if m else ""
                label = re.sub(r"^(?:el|los)\s+", "", label)
            return after[0], label, ""
        m = re.search(r"\bes\s+(.+?),?\s+con\s*$", b_raw, re.S)
        if m and not pct:
            return "top_municipality", " ".join(m.group(1).split()), ""
        key = _before_key(b, pct, sentence, ctx)
        if key:
            return key, (_clean_label(b_raw) if key.startswith("_point") else ""), ""
        m = re.search(r"municipios de (.+?) concentran(?: el)?\s*$", b_raw, re.I | re.S)
        if m and pct:
            names = [x.strip() for x in re.split(r",\s*|\s+y\s+", " ".join(m.group(1).split())) if x.strip()]
            return "_muni_names", names, ""
        if pct and muni_names and b.strip() in ("", "y", ",", "el", "y el"):
            return "municipality_pct", muni_names.pop(0), ""
        m = re.search(r"\bes\s+(.+?),?\s+con\s*$", b_raw, re.S)
        if m and not pct:
            return "top_municipality", " ".join(m.group(1).split()), ""
        label = _clean_label(b_raw)
        if ctx == "cause_muni" and pct:
            item = " ".join(b_item.split()).strip(" •")
            m = re.search(r"([^:]+):\s*([^:]*)$", item)
            name, cause = (m.group(1), m.group(2)) if m else _split_cause(item)
            if not m or not cause.strip():
                name = _split_cause(name)[0] if not m else name
            cause = cause.strip(" :,")
            if not cause:
                self.problems.append(
                    Problem(
                        self.t.line_at(tok.start),
                        "panorama.causes",
                        f"la demarcación «{name}» no dice a qué causa corresponde {tok.raw}",
                    )
                )
            return (
                "cause_top_municipality",
                f"{name.strip()}: {cause}" if cause else name.strip(),
                ("" if cause else "causa no indicada en el texto"),
            )
        if ctx == "immig_country":
            if pct:
                item = " ".join(b_item.split())
                m = re.match(r"(?:•\s*)?([A-ZÁÉÍÓÚ][^:]*?):\s*(?i:causa)", item)
                if m:  # "Alemania: Causa: …" — a country without its count
                    self.problems.append(
                        Problem(
                            self.t.line_at(tok.start),
                            "panorama.immigrants_by_country",
                            f"«{m.group(1)}» aparece sin su número de inmigrantes",
                        )
                    )
                    country = m.group(1)
                cause = re.split(r":\s*", item)[-1].strip(" ,")
                return "immigrants_by_country_cause", f"{country}: {cause}" if country else cause, ""
            return "_country", label, ""
        if ctx == "causes" and pct:
            return "causes", label.rstrip(" ,:"), ""
        if ctx == "municipality" and not pct and label:
            return "foreign_born_municipality", label, ""
        if ctx == "foreign_born" and label:
            return ("foreign_born_top_pct" if pct else "foreign_born_top"), label, ""
        return None

    def _sexed(self, sex: str, tok: Number, sentence: str):
        """'hombres'/'mujeres': whose, and a count or a share, from the figures before it."""
        subject = None
        for fig in reversed(self.figures):
            if fig.key in (
                "total_population",
                "emigrants_2015_2020",
                "repatriated",
                "pct_women",
                "pct_men",
                "emigrants_men",
                "emigrants_women",
                "emigrants_pct_men",
                "emigrants_pct_women",
                "repatriated_men",
                "repatriated_women",
            ):
                subject = {
                    "total_population": "pop",
                    "pct_women": "pop",
                    "pct_men": "pop",
                    "repatriated": "rep",
                    "repatriated_men": "rep",
                    "repatriated_women": "rep",
                }.get(fig.key, "emi")
                break
        sibling_pct = any(
            f.token.percent for f in self.figures[-2:] if f.key.startswith(("pct_", "emigrants_pct"))
        )
        pct = tok.percent or (sibling_pct and tok.value < 100 and subject != "rep")
        note = "" if tok.percent or not pct else "cifra escrita sin el signo %"
        s = sex.strip("_")
        if subject == "pop":
            key = f"pct_{s}" if pct else None
        elif subject == "rep":
            key = f"repatriated_{s}"
        else:
            key = f"emigrants_pct_{s}" if pct else f"emigrants_{s}"
        if key is None:
            return None
        # The same sex twice in one sentence: the order says the second is the other one.
        other = "men" if s == "women" else "women"
        if any(f.key == key and f.sentence == self._sentence_of(tok) for f in self.figures):
            new_key = key.replace(s, other)
            self.flags.append(
                QualityFlag(
                    "label_contradicts_value",
                    [key, new_key],
                    f"La cifra {tok.raw} está rotulada como «{_SEX_ES[s]}», pero esa etiqueta ya "
                    f"tiene cifra en la misma "
                    f"frase; por el orden corresponde a «{_SEX_ES[other]}».",
                    self.t.line_at(tok.start),
                    self.t.line_at(tok.start),
                )
            )
            key = new_key
        return key, "", note

    def _sentence_of(self, tok: Number) -> tuple[int, int]:
        return self._sentence(tok.start)
