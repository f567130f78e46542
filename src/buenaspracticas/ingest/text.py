"""Reading a report's text: decoding with clear errors, normalising what PDF extractors vary on (line
endings, spaces, ligatures, page furniture) while keeping the file's own line numbers, and splitting
the text into per-state sections."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.furniture import remove_furniture
from buenaspracticas.reference import STATES, StateRef, fold, state_by_name

# Spaces PDF extractors emit besides U+0020: NBSP, figure/thin/narrow spaces, ideographic space.
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\f\v]")
_PAGE_NUMBER = re.compile(r"^\s*(?:p[aá]g(?:ina)?\.?\s*)?\d{1,3}\s*(?:de\s+\d{1,3})?\s*$", re.I)
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)


@dataclass(frozen=True)
class ReportText:
    """A report's lines (index 0 is line 1), normalised, page furniture blanked (the numbering holds),
    with the file name for error messages; `furniture` holds the numbers (1-based) of the changed lines."""

    document: str
    file: str
    lines: tuple[str, ...]
    furniture: frozenset[int] = frozenset()

    def line(self, number: int) -> str:
        """Return line `number` (1-based)."""
        return self.lines[number - 1]


def decode_report(data: bytes, *, file: str) -> str:
    """Return the text of a report's bytes; raise IngestError naming the line for binary or non-UTF-8 data."""
    if not data.strip():
        raise IngestError("el archivo está vacío", file=file, line=1, expected="el texto del informe")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"%PDF"):
        raise IngestError(
            "es un PDF, no su texto",
            file=file,
            line=1,
            expected="texto UTF-8 extraído del PDF (por ejemplo con pdftotext)",
        )
    head = data[:65536]
    if b"\x00" in head or _control_ratio(head) > 0.05:
        line = data[: data.find(b"\x00")].count(b"\n") + 1 if b"\x00" in head else 1
        raise IngestError("es un archivo binario, no texto", file=file, line=line, expected="texto UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            f"no está codificado en UTF-8 (byte 0x{data[exc.start]:02X} inválido)",
            file=file,
            line=line,
            expected="texto UTF-8; convierta el archivo, p. ej. con iconv -f latin1 -t utf-8",
        ) from exc


def _control_ratio(data: bytes) -> float:
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(len(data), 1)


def normalise_line(line: str) -> str:
    """Return a line with compatibility forms folded (ligatures, odd spaces) and trailing space removed."""
    line = _INVISIBLE.sub("", line)
    line = _SPACES.sub(" ", line)
    # NFKC turns ligatures (ﬁ) and full-width forms into plain letters; NFC keeps accents composed.
    line = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", line))
    return line.rstrip()


def split_lines(text: str) -> list[str]:
    """Return the text's lines for any line-ending convention (\\n, \\r\\n, \\r), numbered as in the file."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def load_report(path: str | Path, *, document: str | None = None, title: str = "") -> ReportText:
    """Return the normalised lines of the report at `path` (`title`: the document's title from its
    metadata, which helps find its running head); raise IngestError if it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"no se puede leer el archivo ({exc.strerror})", file=str(path)) from exc
    return report_from_text(
        decode_report(data, file=str(path)),
        file=str(path),
        document=document or default_document_id(path),
        title=title,
    )


def report_from_text(
    text: str, *, file: str = "<texto>", document: str = "informe", title: str = ""
) -> ReportText:
    """Return a ReportText for text already in memory (tests, uploads)."""
    raw = split_lines(text)
    breaks = frozenset(i for i, x in enumerate(raw) if "\f" in x)
    lines, changed = remove_furniture([normalise_line(x) for x in raw], breaks, title=title)
    return ReportText(
        document=document, file=file, lines=tuple(lines), furniture=frozenset(i + 1 for i in changed)
    )


def default_document_id(path: Path) -> str:
    """Return the document id for a file: its name without extension
    ('informe-buenas-practicas-oim-conofam')."""
    name = path.name
    for suffix in (".txt", ".text", ".md"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def is_furniture(line: str) -> bool:
    """Return True for a line that is furniture wherever it stands: a bare page number ('27', 'Página 3 de 9')
    or a URL line under a footnote. Running heads are found per document (see ingest.furniture) and are
    already blank in a ReportText."""
    if not line.strip():
        return False
    return bool(_PAGE_NUMBER.match(line) or _URL_LINE.match(line))


@dataclass(frozen=True)
class StateSection:
    state: StateRef
    first_line: int  # 1-based, inclusive
    last_line: int  # inclusive


_NAME_LINE = re.compile(r"^\s*nombre del estado:?\s+(.+?)\s*$")
_PRACTICES_TABLE = re.compile(r"practicas orientadas a la atencion de (?:las )?personas migrantes\s*(.*)$")
_END_HEADINGS = ("recomendaciones", "conclusiones", "referencias", "bibliografia")
_STATE_NAMES_FOLDED = sorted(
    ((fold(n), s) for s in STATES for n in (s.name, *s.aliases)), key=lambda x: -len(x[0])
)


def _state_prefix(folded: str) -> StateRef | None:
    """Return the state whose name starts `folded` (whole words, longest name first)."""
    for name, state in _STATE_NAMES_FOLDED:
        if folded.startswith(name) and (len(folded) == len(name) or not folded[len(name)].isalnum()):
            return state
    return None


def _heading_state(raw: str) -> StateRef | None:
    """Return the state a capitalised heading names: the whole line, or glued to the line's start (before
    'CUADRO') or end (after a sentence), as other PDF extractors join lines."""
    text = raw.strip()
    if not text:
        return None
    if text.isupper():
        state = state_by_name(text)
        if state:
            return state
    folded = fold(text)
    head = re.match(r"^(.+?)\s+cuadro\s+\d", folded)
    if head and text[: len(head.group(1))].isupper():
        state = state_by_name(head.group(1))
        if state:
            return state
    if not text[-1].isupper():
        return None
    for name, state in _STATE_NAMES_FOLDED:
        if (
            folded.endswith(" " + name)
            and text[-len(name) :].isupper()
            and re.search(r"[.)”\"»:;]\s*$", text[: -len(name)])
        ):
            return state
    return None


def state_sections(report: ReportText) -> list[StateSection]:
    """Return each state's section of the report in text order. A section starts at the state's earliest
    heading: a capitalised line naming the state (alone or glued to a neighbour), 'Nombre del estado X', or
    failing those the first table of its practices ('… PERSONAS MIGRANTES EN X'); it ends where the next
    state's starts or at the closing chapters (RECOMENDACIONES …)."""
    starts: dict[str, tuple[int, StateRef]] = {}
    end_line = len(report.lines)
    lines = report.lines
    for i, raw in enumerate(lines, start=1):
        folded = fold(raw)
        if not folded:
            continue
        state = _heading_state(raw)
        m = _NAME_LINE.match(folded)
        if m:
            state = _state_prefix(m.group(1))
        table = _PRACTICES_TABLE.search(folded)
        if table and state is None:
            rest = table.group(1) or next((fold(x) for x in lines[i : i + 3] if x.strip()), "")
            rest = re.sub(r"^en\s+(?:el\s+estado\s+de\s+)?", "", rest)
            state = _state_prefix(rest)
        if state and state.code not in starts:
            starts[state.code] = (i, state)
        if starts and folded in _END_HEADINGS and i > max(s for s, _ in starts.values()):
            end_line = i - 1
            break
    ordered = sorted(starts.values(), key=lambda item: item[0])
    sections = []
    for n, (start, state) in enumerate(ordered):
        stop = ordered[n + 1][0] - 1 if n + 1 < len(ordered) else end_line
        sections.append(StateSection(state=state, first_line=start, last_line=stop))
    return sections
