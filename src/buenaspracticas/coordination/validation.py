"""Checking the fields the coordination services receive (from the API's JSON or a page's form): each
problem is a ValidationError naming the field and what was expected, in words a person can act on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from buenaspracticas.catalog.services import text_problem
from buenaspracticas.errors import AppError, ValidationError

LONG_TEXT = 50_000  # agenda, minutes: the longest texts a form or the API may send
MAX_ITEMS = 100  # links, states, practices in one request


def require_object(data: Any) -> dict:
    """Return `data` when it is a JSON object (dict); raise ValidationError otherwise (or the error that
    reading the body gave, handed over by the API so that it is reported after the permission check)."""
    if isinstance(data, AppError):
        raise data
    if not isinstance(data, dict):
        raise ValidationError('El cuerpo debe ser un objeto JSON (p. ej. {"status": "in_progress"}).')
    return data


def reject_unknown(data: dict, allowed: tuple[str, ...]) -> None:
    """Raise ValidationError naming the first field that is not in `allowed`."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            f"Campos desconocidos: {', '.join(unknown)} (válidos: {', '.join(allowed)}).", field=unknown[0]
        )


def text(data: dict, field: str, *, required: bool = False, max_length: int = LONG_TEXT) -> str:
    """Return the field as stripped text ('' when absent); raise when required and empty, not text, too long
    or not storable (a NUL character, a lone surrogate)."""
    value = data.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"«{field}» debe ser texto.", field=field)
    problem = text_problem(value)
    if problem:
        raise ValidationError(f"«{field}» {problem}.", field=field)
    value = value.strip()
    if required and not value:
        raise ValidationError(f"Escriba «{field}»: no puede quedar vacío.", field=field)
    if len(value) > max_length:
        raise ValidationError(f"«{field}» admite hasta {max_length} caracteres.", field=field)
    return value


def choice(
    data: dict, field: str, options: list[str] | tuple[str, ...], *, required: bool = True
) -> str | None:
    """Return the field when it is one of `options`; raise ValidationError listing them otherwise."""
    value = data.get(field)
    if value in (None, "") and not required:
        return None
    if value not in options:
        raise ValidationError(
            f"«{field}» debe ser uno de: {', '.join(options)} (se recibió «{value}»).", field=field
        )
    return value


def url(value: Any, field: str) -> str:
    """Return an http(s) address, or '' for an empty one; raise ValidationError for anything else."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"«{field}» debe ser una dirección web.", field=field)
    value = value.strip()
    try:
        parsed = urlparse(value)
    except ValueError:
        parsed = urlparse("")
    if text_problem(value) or parsed.scheme not in ("http", "https") or not parsed.netloc or len(value) > 500:
        raise ValidationError(
            f"«{field}» debe ser una dirección http(s) completa, p. ej. https://ejemplo.org/acta.pdf.",
            field=field,
        )
    return value


def links(value: Any, field: str) -> list[dict[str, str]]:
    """Return a list of {"title", "url"} (documents, attachments); raise ValidationError naming the item."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValidationError(
            f'«{field}» debe ser una lista (hasta {MAX_ITEMS}) de {{"title", "url"}}.', field=field
        )
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            item = {"title": item, "url": ""}
        if not isinstance(item, dict):
            raise ValidationError(f'«{field}[{i}]» debe ser un objeto {{"title", "url"}}.', field=field)
        unknown = set(item) - {"title", "url"}
        if unknown:
            raise ValidationError(f"«{field}[{i}]» admite solo «title» y «url».", field=field)
        title = text(item, "title", max_length=300) if item.get("title") is not None else ""
        address = url(item.get("url"), f"{field}[{i}].url")
        if not title.strip() and not address:
            raise ValidationError(f"«{field}[{i}]» necesita un título o una dirección.", field=field)
        out.append({"title": title.strip() or address, "url": address})
    return out


def parse_links_text(value: str) -> list[dict[str, str]]:
    """Return links from a form's textarea, one a line: "title | https://…", a bare address or a title."""
    out = []
    for line in (value or "").splitlines():
        line = line.strip()
        if not line:
            continue
        title, sep, address = line.rpartition("|")
        if not sep:
            title, address = ("", line) if line.startswith(("http://", "https://")) else (line, "")
        out.append({"title": title.strip(), "url": address.strip()})
    return out


def timezone_name(value: Any, field: str = "timezone") -> str:
    """Return an IANA time zone name (America/Mexico_City); raise ValidationError for an unknown one."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Indique la zona horaria, p. ej. America/Mexico_City.", field=field)
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"Zona horaria desconocida «{value}» (use un nombre IANA, p. ej. America/Mexico_City).",
            field=field,
        ) from exc
    return value.strip()


def moment(value: Any, field: str, tz: str) -> datetime:
    """Return an aware datetime: ISO 8601 with an offset as given, without one in the zone `tz`."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValidationError(
                f"«{field}» debe ser fecha y hora ISO 8601, p. ej. 2027-03-10T10:00 (se recibió «{value}»).",
                field=field,
            ) from exc
    else:
        raise ValidationError(f"Indique «{field}»: fecha y hora, p. ej. 2027-03-10T10:00.", field=field)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    return parsed


def day(value: Any, field: str) -> date:
    """Return a date from ISO 8601 (2027-04-30); raise ValidationError otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValidationError(f"«{field}» debe ser una fecha AAAA-MM-DD, p. ej. 2027-04-30.", field=field)


def string_list(value: Any, field: str) -> list[str]:
    """Return a list of non-empty strings (state codes, practice ids); raise ValidationError otherwise."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if (
        not isinstance(value, list)
        or len(value) > MAX_ITEMS
        or not all(isinstance(v, str) and v.strip() and len(v) <= 120 for v in value)
    ):
        raise ValidationError(
            f"«{field}» debe ser una lista (hasta {MAX_ITEMS}) de identificadores.", field=field
        )
    return [v.strip() for v in value]


def local_range(start: datetime, end: datetime) -> None:
    """Raise ValidationError unless the session ends after it starts."""
    if end <= start:
        raise ValidationError(
            "La sesión debe terminar después de empezar («ends_at» > «starts_at»).", field="ends_at"
        )
