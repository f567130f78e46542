"""English second: every UI string marked for translation in the code and the templates has an English
translation in the compiled catalogues (the .mo files Django loads), so `/en/` never falls back to Spanish
for a string someone marked. Strings are read with Python's own parser (the ast) and the template tags; a
plural form is looked up by its singular, as the catalogues key it."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "buenaspracticas"
# name -> index of the msgid argument (a catalogue keys plural forms by their singular msgid)
CALLS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "_lazy": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
}
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+[^%]*)?%}""", re.S)
BLOCK_TAG = re.compile(
    r"{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%}(?P<body>.*?)(?:{%\s*plural\s*%}.*?)?"
    r"{%\s*endblocktrans(?:late)?\s*%}",
    re.S,
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def _catalog() -> dict:
    messages: dict = {}
    for mo in SRC.rglob("locale/en/LC_MESSAGES/django.mo"):
        with mo.open("rb") as handle:
            messages.update(gettext.GNUTranslations(handle)._catalog)
    return messages


def python_msgids(source: str) -> list[tuple[int, str]]:
    """Return (line, msgid) of the literal strings passed to the gettext functions in Python source."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        index = CALLS.get(name)
        if index is not None and index < len(node.args):
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                out.append((node.lineno, arg.value))
    return out


def template_msgids(source: str) -> list[tuple[int, str]]:
    """Return (line, msgid) of the strings of {% translate %} and {% blocktranslate %} in a template."""
    out = []
    for m in TRANSLATE_TAG.finditer(source):
        if m.group(2).strip():
            out.append((source.count("\n", 0, m.start()) + 1, m.group(2)))
    for m in BLOCK_TAG.finditer(source):
        if "context" in m.group("args").split():
            continue
        line = source.count("\n", 0, m.start()) + 1
        text = VARIABLE.sub(r"%(\1)s", m.group("body"))
        if "trimmed" in m.group("args").split():
            text = " ".join(part.strip() for part in text.strip().splitlines() if part.strip())
        out.append((line, text))
    return out


def test_the_scanner_reads_calls_and_tags_it_is_shown():
    python = 'x = _("Hola " "mundo")\ny = ngettext("una", "%(n)s", n)\nz = print("no")\n'
    assert python_msgids(python) == [(1, "Hola mundo"), (2, "una")]
    template = (
        '{% translate "Inicio" %}\n{% blocktranslate with a=b %}Hay {{ a }} cosas{% endblocktranslate %}\n'
        "{% blocktranslate trimmed count n=c %}\n  una\n  cosa\n"
        "{% plural %}{{ n }} cosas{% endblocktranslate %}"
    )
    assert template_msgids(template) == [
        (1, "Inicio"),
        (2, "Hay %(a)s cosas"),
        (3, "una cosa"),
    ]


def _marked() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, msgid in python_msgids(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(SRC)), line, msgid))
    for path in sorted(SRC.rglob("templates/**/*.*")):
        if path.suffix in (".html", ".txt", ".xml", ".js"):
            for line, msgid in template_msgids(path.read_text(encoding="utf-8")):
                found.append((str(path.relative_to(SRC)), line, msgid))
    return found


@pytest.mark.parametrize("kind", ["code and templates"])
def test_every_marked_string_has_an_english_translation(kind):
    catalog = _catalog()
    known = {k[0] if isinstance(k, tuple) else k for k, v in catalog.items() if v}
    missing = [f"{where}:{line}: {msgid!r}" for where, line, msgid in _marked() if msgid not in known]
    assert missing == [], f"{len(missing)} strings without English:\n" + "\n".join(missing)
