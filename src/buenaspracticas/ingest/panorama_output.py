"""The output half of the panorama reader: once the figures are read, fill their periods and sources from
their table (or the rest of the report), derive the entries a table gives only by point of entry, flag the
figures whose heading or sentence contradicts them, and return them as Indicators. Pure Python, no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from buenaspracticas.ingest.numbers import Number
from buenaspracticas.ingest.panorama_rules import (
    _KEY_KIND,
    _KIND_ES,
    CENSUS_KEYS,
    EMIGRATION_KEYS,
    LIST_KEYS,
    PERSONAS,
    UNITS,
    _add,
    _describe,
    _fmt,
    _own_place,
    fold_text,
)
from buenaspracticas.ingest.panorama_text import CENSUS_YEAR
from buenaspracticas.ingest.records import Indicator, QualityFlag


@dataclass
class _Figure:
    token: Number
    key: str
    value: float | int
    label: str = ""
    note: str = ""
    period: str | None = None
    source: str = ""
    block: int = 0
    heading: frozenset = frozenset()
    sentence: tuple[int, int] = (0, 0)
    line: int = 0
    context: str = ""  # the words around the figure: its label before and after


@dataclass
class _Block:
    kinds: set = field(default_factory=set)
    citation: str = ""  # the heading's footnote or "Fuente:" line
    period: str | None = None
    has_figure: bool = False


class _Output:
    """Mixin of the panorama reader: needs its figures, extra, flags, context, section and t (the text)."""

    # -- output ---------------------------------------------------------------------------------------
    def indicators(self) -> list[Indicator]:
        self.figures.extend(self.extra)
        self.extra = []
        self._fill_periods_and_sources()
        self._derive_entries()
        out: list[Indicator] = []
        seen: dict[str, _Figure] = {}
        for fig in self.figures:
            key = fig.key
            if key not in LIST_KEYS and key in seen:
                first = seen[key]
                if first.value != fig.value:
                    self.flags.append(
                        QualityFlag(
                            "label_contradicts_value",
                            [key],
                            f"El cuadro da dos cifras para «{_describe(key)}»: {_fmt(first.value)} "
                            f"(línea {first.line}) y "
                            f"{_fmt(fig.value)} (línea {fig.line}); se toma la primera.",
                            min(first.line, fig.line),
                            max(first.line, fig.line),
                        )
                    )
                key = f"{key}_alt"
            else:
                seen[key] = fig
            if (
                key == "top_municipality"
                and "top_municipality" in seen
                and seen["top_municipality"] is not fig
            ):
                key = "foreign_born_municipality"
            out.append(
                Indicator(
                    key,
                    fig.value,
                    UNITS.get(fig.key, PERSONAS),
                    fig.period or "",
                    fig.source,
                    fig.line,
                    fig.label,
                    fig.note.strip(),
                )
            )
        # The first municipality of a "municipio con más personas nacidas en otro país" list is the top one.
        if not any(i.key == "top_municipality" for i in out):
            munis = [i for i in out if i.key == "foreign_born_municipality"]
            if munis:
                top = max(munis, key=lambda i: i.value)
                top.key = "top_municipality"
        self._heading_flags()
        self._state_name_flags()
        return out

    def _fill_periods_and_sources(self) -> None:
        ctx = self.context
        census_cites = [f.source for f in self.figures if f.source and "censo" in f.source.lower()]
        bulletin_cites = [
            f.source for f in self.figures if f.source and f.key not in CENSUS_KEYS | EMIGRATION_KEYS
        ]
        block_period: dict[int, str] = {}
        bulletin_period = None
        for fig in self.figures:
            if fig.key in CENSUS_KEYS or fig.key in EMIGRATION_KEYS:
                continue
            if fig.period and fig.block not in block_period:
                block_period[fig.block] = fig.period
            bulletin_period = bulletin_period or fig.period
        heading_periods = {i: b.period for i, b in enumerate(getattr(self, "blocks", [])) if b.period}
        year = None
        for fig in self.figures:
            if fig.period and len(fig.period) == 15:
                year = fig.period[:4]
        for fig in self.figures:
            if fig.key in EMIGRATION_KEYS:
                lead = next(
                    (
                        f
                        for f in reversed(self.figures[: self.figures.index(fig)])
                        if f.key == "emigrants_2015_2020"
                    ),
                    None,
                )
                if not fig.period and lead is not None:
                    fig.period = lead.period
                if fig.period and not re.match(r"\d{4}", fig.period):
                    fig.period = None
                if not fig.period:
                    fig.period = ctx.emigration_period or ""
                    fig.note = _add(
                        fig.note, "periodo no indicado junto a la cifra; se toma el del resto del informe"
                    )
                if not fig.source:
                    fig.source = census_cites[0] if census_cites else ""
                    if fig.source:
                        fig.note = _add(
                            fig.note, "fuente no citada junto a la cifra; se toma la del mismo cuadro"
                        )
            elif fig.key in CENSUS_KEYS:
                if not fig.source and census_cites:
                    fig.source = census_cites[0]
                    fig.note = _add(
                        fig.note, "fuente no citada junto a la cifra; se toma la del mismo cuadro"
                    )
                m = CENSUS_YEAR.search(fold_text(fig.source))
                said = (
                    re.search(
                        r"\b(?:para|en)\s+(?:el\s+)?(\d{4})\b",
                        fold_text(self.t.text[fig.sentence[0] : fig.sentence[1]]),
                    )
                    if fig.sentence[0] >= 0
                    else None
                )
                fig.period = m.group(1) if m else (said.group(1) if said else (ctx.census_year or ""))
            elif fig.key == "remittances_usd":
                year = re.search(r"\b(\d{4})\b", fig.source)
                fig.period = year.group(1) if year else ""
            else:
                if fig.period and not fig.period[:4].isdigit():
                    fig.period = None
                if not fig.period:
                    fig.period = (
                        heading_periods.get(fig.block) or block_period.get(fig.block) or bulletin_period
                    )
                if not fig.period:
                    fig.period = ctx.bulletin_period or ""
                    fig.note = _add(
                        fig.note, "periodo no indicado en el cuadro; se toma el del resto del informe"
                    )
                if not fig.source and bulletin_cites:
                    fig.source = bulletin_cites[0]
                    if fig.sentence[0] >= 0:
                        fig.note = _add(
                            fig.note, "fuente no citada junto a la cifra; se toma la del mismo cuadro"
                        )

    def _derive_entries(self) -> None:
        """Entry points add up to the air/sea/land entries; a single airport means all entries were by air."""
        keys = {f.key for f in self.figures}
        points = [f for f in self.figures if f.key.startswith("_point_")]
        for mode, key in (("air", "entries_air"), ("sea", "entries_sea"), ("land", "entries_land")):
            group = [f for f in points if f.key == f"_point_{mode}"]
            if group and key not in keys:
                total = sum(f.value for f in group)
                first = group[0]
                self.figures.append(
                    _Figure(
                        first.token,
                        key,
                        total,
                        note=(
                            f"suma de {len(group)} puntos de internación"
                            if len(group) > 1
                            else f"un punto: {first.label}"
                        ),
                        period=first.period,
                        source=first.source,
                        block=first.block,
                        heading=first.heading,
                        sentence=first.sentence,
                        line=first.line,
                    )
                )
        for f in points:
            f.key = "entry_point"
        keys = {f.key for f in self.figures}
        total = next((f for f in self.figures if f.key == "entries_total"), None)
        if total and not keys & {"entries_air", "entries_sea", "entries_land"}:
            words = fold_text(self.t.text[total.sentence[0] : total.sentence[1]])
            if re.search(r"aeropuerto|via aerea", words) and not re.search(r"maritim|terrestre", words):
                self.figures.append(
                    _Figure(
                        total.token,
                        "entries_air",
                        total.value,
                        note="todas las entradas fueron por vía aérea (un aeropuerto)",
                        period=total.period,
                        source=total.source,
                        block=total.block,
                        heading=total.heading,
                        sentence=total.sentence,
                        line=total.line,
                    )
                )

    def _heading_flags(self) -> None:
        by_block: dict[tuple, list[_Figure]] = {}
        for fig in self.figures:
            kind = _KEY_KIND.get(fig.key)
            kinds = fig.heading & set(_KIND_ES)
            if kind and kinds and kind not in kinds:
                by_block.setdefault((tuple(sorted(kinds)), kind), []).append(fig)
        for (kinds, kind), figs in by_block.items():
            heading = " / ".join(_KIND_ES[k].capitalize() for k in kinds)
            shown = ", ".join(f"{_describe(f.key)} = {_fmt(f.value)}" for f in figs[:3])
            self.flags.append(
                QualityFlag(
                    "label_contradicts_value",
                    sorted({f.key for f in figs}),
                    f"Bajo el rótulo «{heading}» el texto da cifras de {_KIND_ES[kind]} ({shown}); "
                    f"se registran como "
                    f"{_KIND_ES[kind]}.",
                    min(f.line for f in figs),
                    max(f.line for f in figs),
                )
            )

    def _state_name_flags(self) -> None:
        from buenaspracticas.reference import find_state_in

        for fig in self.figures:
            if fig.sentence[0] < 0:
                continue
            words = fold_text(fig.context)
            other = None
            for m in re.finditer(r"\ben\s+((?:[a-z]+\s+){0,3}[a-z]+)", words):
                other = (
                    find_state_in(m.group(1))
                    if not re.match(r"(?:la|el|los|las|otros?)\b", m.group(1))
                    else None
                )
                if (
                    other
                    and other.code != self.section.state.code
                    and re.match(re.escape(fold_text(other.name)), m.group(1))
                    and not _own_place(other.name, self.section.state.name)
                ):
                    break
                other = None
            if (
                other
                and other.code != self.section.state.code
                and not _own_place(other.name, self.section.state.name)
            ):
                self.flags.append(
                    QualityFlag(
                        "label_contradicts_value",
                        [fig.key],
                        f"La frase de {_describe(fig.key)} ({_fmt(fig.value)}) menciona "
                        f"«{other.name}», pero el cuadro es de "
                        f"{self.section.state.name}; la cifra se registra para {self.section.state.name}.",
                        fig.line,
                        fig.line,
                    )
                )
