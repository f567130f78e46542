"""Snippets under search results cut at whole words, never inside one ("…berá presentar")."""

from __future__ import annotations


def test_search_snippets_start_and_end_at_whole_words():
    from buenaspracticas.search.text import highlight, stem_word

    text = (
        "La persona solicitante deberá presentar su acta de nacimiento y una identificación oficial "
        "ante la oficina del registro civil para tramitar la doble nacionalidad de sus hijas e hijos."
    )
    snippet = highlight(text, {stem_word("registro")}, width=60)
    body = snippet.strip("…")
    words = set(text.replace(".", "").split())
    first, last = body.split()[0], body.split()[-1].rstrip(".")
    assert "<mark>registro</mark>" in snippet
    assert first in words and last in words, snippet
