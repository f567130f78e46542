"""The language switch: this page's address in each language (Spanish unprefixed, others under /<code>/)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, str | bool]]:
    """Return, per configured language, the link to this page in it and whether it is the current one."""
    request = context.get("request")
    path = request.path if request else "/"
    query = request.META.get("QUERY_STRING", "") if request else ""
    codes = [code for code, _ in settings.LANGUAGES]
    for code in codes:
        if code != settings.LANGUAGE_CODE and (path == f"/{code}" or path.startswith(f"/{code}/")):
            path = path[len(code) + 1 :] or "/"
            break
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    links = []
    for code, name in settings.LANGUAGES:
        href = path if code == settings.LANGUAGE_CODE else f"/{code}{path}"
        links.append(
            {
                "code": code,
                "name": name,
                "href": href + (f"?{query}" if query else ""),
                "current": code == current,
            }
        )
    return links
