"""Reading the evidence pages' forms into the bodies the services take (the same shape as the API's JSON):
no rules here; the services check permission, then validate and name the field at fault."""

from __future__ import annotations

from typing import Any

INTERVIEWEE_ROWS = 3
EXCERPT_ROWS = 3


def interview_data(post, *, state_code: str) -> dict[str, Any]:
    """Return the interview body from the form's POST: blank rows are left out."""
    people = []
    for i in range(INTERVIEWEE_ROWS):
        role, name = post.get(f"role_{i}", "").strip(), post.get(f"name_{i}", "").strip()
        if role or name:
            people.append(
                {"role": role, "name": name, "name_consented": post.get(f"name_consented_{i}") == "on"}
            )
    excerpts = []
    for i in range(EXCERPT_ROWS):
        text = post.get(f"text_{i}", "").strip()
        if text:
            excerpts.append(
                {"module": post.get(f"module_{i}", ""), "consent": post.get(f"consent_{i}", ""), "text": text}
            )
    return {
        "state": state_code,
        "institution": post.get("institution", ""),
        "held_on": post.get("held_on", "") or None,
        "notes": post.get("notes", ""),
        "interviewees": people,
        "excerpts": excerpts,
    }


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def finding_data(post) -> dict[str, Any]:
    """Return the findings-row body from the form's POST."""
    return {
        "programme": post.get("programme", ""),
        "practice": post.get("practice", "") or None,
        "impacts": post.get("impacts", ""),
        "results": post.get("results", ""),
        "validity": post.get("validity", ""),
        "continuity": post.get("continuity", ""),
        "suspended": post.get("suspended") == "on",
        "suspended_reason": post.get("suspended_reason", ""),
        "excerpts": _ids(post.getlist("excerpts")),
        "documents": _ids(post.get("documents", "").replace(",", " ").split()),
    }
