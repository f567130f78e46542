"""Display casing of titles printed in capitals: sentence case, with acronyms and proper nouns kept as the
surrounding text writes them. Pure Python (the presenters and the PDF/offline reports share it); the printed
form stays in the data, this only decides how a title is shown."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter, OrderedDict

from buenaspracticas.reference import STATES_BY_CODE

_WORD = re.compile(r"[^\W\d_]+|\S", re.UNICODE)
_OPENING = "“«\"‘'"  # and a closing quote typed where an opening one belongs, after a space
_SENTENCE = re.compile(r"[^.!?\n]+")
# Words that start a sentence are capitalised whatever they are, so they say nothing about a word's case.
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡:;•\n]\s*|\(\s*)$")
# Capitalised mid-sentence in Spanish only as names: the states' names (reference data) and the country.
_NAMES = frozenset(
    w for s in STATES_BY_CODE.values() for w in re.findall(r"[^\W\d_]+", s.name) if len(w) > 2
) | {"México", "Mexico", "Estados", "Unidos", "América"}


def _mostly_upper(text: str) -> bool:
    letters = sum(map(str.isalpha, text))  # map over the str methods: C speed on long contexts
    return bool(letters) and sum(map(str.isupper, text)) / letters >= 0.8


def _forms(context: str, wanted: set[str] | None = None) -> dict[str, Counter]:
    """Return lowercased word → how it is written mid-sentence in the context ("upper", "title", "lower"),
    for the `wanted` words only when given (a title's words: a list page shows dozens of titles, each with a
    context of several thousand characters, so sentences holding none of them are skipped by one regex)."""
    seen: dict[str, Counter] = {}
    probe = None
    if wanted is not None:
        if not wanted:
            return seen
        alternatives = "|".join(map(re.escape, sorted(wanted, key=len, reverse=True)))
        probe = re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE)
    for sentence in _SENTENCE.finditer(context):
        text = sentence.group(0)
        if probe is not None and not probe.search(text):
            continue
        if not _mostly_upper(text):  # a heading in capitals says nothing about one word
            _count(text, seen, probe or _WORD)
    return seen


def _count(context: str, seen: dict[str, Counter], words: re.Pattern = _WORD) -> None:
    for match in words.finditer(context):
        word = match.group(0)
        if not word[0].isalpha() or _SENTENCE_START.search(
            context[max(0, match.start() - 3) : match.start()]
        ):
            continue
        if len(word) > 1 and word.isupper():
            kind = "upper"
        elif word[0].isupper():
            kind = "title"
        else:
            kind = "lower"
        seen.setdefault(word.lower(), Counter())[kind] += 1


def sentence_case(title: str, context: str = "") -> str:
    """Return a title printed in capitals in sentence case; acronyms (words the context writes in capitals)
    and names (capitalised mid-sentence in the context, or a state's name) keep their case. A title that is
    not in capitals is returned unchanged."""
    if not _mostly_upper(title):
        return title
    wanted = {m.group(0).lower() for m in _WORD.finditer(title) if m.group(0)[0].isalpha()}
    forms = _forms(context, wanted) if context else {}
    names = {n.lower(): n for n in _NAMES}
    out: list[str] = []
    first = True
    pos = 0
    for match in _WORD.finditer(title):
        out.append(title[pos : match.start()])
        pos = match.end()
        word = match.group(0)
        if not word[0].isalpha():
            out.append(word)
            if (
                word in ".:;!?"
                or word in _OPENING + "”»"
                and (match.start() == 0 or title[match.start() - 1].isspace())
            ):
                first = True
            continue
        lower = word.lower()
        kinds = forms.get(lower, Counter())
        alone_in_brackets = title[match.start() - 1 : match.start()] == "(" and title[pos : pos + 1] == ")"
        if alone_in_brackets or kinds and kinds.most_common(1)[0][0] == "upper":
            shown = word
        elif kinds and kinds.most_common(1)[0][0] == "title" or lower in names:
            shown = names.get(lower) or lower[:1].upper() + lower[1:]
        else:
            shown = lower
        if first:
            shown = shown[:1].upper() + shown[1:]
            first = False
        out.append(shown)
    out.append(title[pos:])
    return "".join(out)


def practice_context(practice: dict) -> str:
    """Return the text of a Practice JSON that shows how its words are written (for `sentence_case`)."""
    parts = [practice.get(k) or "" for k in ("description", "institution", "target_population")]
    parts += [
        c.get("evidence") or "" for c in (practice.get("criteria") or {}).values() if isinstance(c, dict)
    ]
    return "\n".join(parts)


_SHOWN: OrderedDict[tuple[str, bytes], str] = OrderedDict()
_SHOWN_MAX = 4096  # titles remembered per process (a key is the title and a 16-byte digest of its context)
_SHOWN_LOCK = threading.Lock()


def display_title(practice: dict) -> str:
    """Return the title of a Practice JSON as shown to people: sentence case when printed in capitals.
    Remembered by title and context digest: list pages, exports and reports show the same titles again."""
    title = practice.get("title") or ""
    if not _mostly_upper(title):
        return title
    context = practice_context(practice)
    key = (title, hashlib.blake2b(context.encode(), digest_size=16).digest())
    with _SHOWN_LOCK:
        shown = _SHOWN.get(key)
        if shown is not None:
            _SHOWN.move_to_end(key)
            return shown
    shown = sentence_case(title, context)
    with _SHOWN_LOCK:
        _SHOWN[key] = shown
        while len(_SHOWN) > _SHOWN_MAX:
            _SHOWN.popitem(last=False)
    return shown
