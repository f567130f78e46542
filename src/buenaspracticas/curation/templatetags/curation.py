"""Template tags of curation: the history of a practice, for the public ficha."""

from django import template

from buenaspracticas.curation import permissions, selectors

register = template.Library()


@register.inclusion_tag("curation/_history_list.html", takes_context=True)
def practice_history(context, practice_id: str) -> dict:
    """Render the history (readable diffs) of a practice as the current user may see it."""
    request = context.get("request")
    from django.contrib.auth.models import AnonymousUser

    user = getattr(request, "user", None) or AnonymousUser()  # never the system operator in a page
    return {
        "entries": selectors.practice_history(practice_id=practice_id, user=user),
        "can_restore": permissions.role_of(user) == permissions.COORDINATOR,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
