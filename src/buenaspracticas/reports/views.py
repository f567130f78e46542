"""Download and upload pages of the reports feature: PDFs, exports of any filtered view, the homologated
template and the import page. No queries here: everything goes through reports' functions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.reports import exports, pdf
from buenaspracticas.reports.importer import MAX_IMPORT_BYTES, ImportFileError, Problem, too_large_message


def _attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def practice_pdf(request: HttpRequest, practice_id: str) -> HttpResponse:
    content = pdf.practice_pdf(practice_id=practice_id)
    return _attachment(content, f"{practice_id}.pdf", "application/pdf")


def state_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    content = pdf.state_pdf(key=slug)
    return _attachment(content, f"{slug}.pdf", "application/pdf")


def compendium_pdf(request: HttpRequest) -> HttpResponse:
    # Served at once from the stored file of the current data (or the previous one while it is rebuilt);
    # the very first request, with nothing stored yet, gets a page that reloads until the file is ready.
    stats: dict = {}
    path = pdf.compendium_file(stats=stats, background=True)
    if path is None:
        response = render(request, "reports/pdf/preparing.html", {"retry_seconds": 10}, status=202)
        response["Retry-After"] = "10"
        return response
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename="compendio-buenas-practicas.pdf",
        content_type="application/pdf",
    )
    response["X-Data-Version"] = path.stem.rsplit("-", 1)[-1]
    return response


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = PracticeFilters.from_query(request.GET)
    content, name = exports.export_bytes(
        fmt=fmt, filters=filters, table=request.GET.get("tabla", "practices")
    )
    return _attachment(content, name, exports.CONTENT_TYPES[fmt])


def template_download(request: HttpRequest, name: str) -> HttpResponse:
    if name == "plantilla.xlsx":
        return _attachment(exports.template_workbook(), name, exports.CONTENT_TYPES["xlsx"])
    if name == "diccionario.csv":
        return _attachment(exports.dictionary_csv(), name, exports.CONTENT_TYPES["csv"])
    tables = {"plantilla-practicas.csv": "practices", "plantilla-indicadores.csv": "indicators"}
    if name in tables:
        return _attachment(exports.template_csv(tables[name]), name, exports.CONTENT_TYPES["csv"])
    raise Http404(name)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    from buenaspracticas.reports.import_write import import_bytes

    context: dict = {"max_mb": MAX_IMPORT_BYTES // 1024 // 1024}
    if request.method == "POST":
        upload = request.FILES.get("archivo")
        dry_run = request.POST.get("simular") == "1"
        context["dry_run"] = dry_run
        if upload is None:
            context["problems"] = [Problem("—", None, None, "Elija un archivo.")]
        elif upload.size > MAX_IMPORT_BYTES:
            context["problems"] = [Problem(upload.name, None, None, too_large_message(upload.size))]
        else:
            try:
                result = import_bytes(upload.read(), name=upload.name, user=request.user, dry_run=dry_run)
                context["result"] = result
                context["summary"] = result.summary_lines()
            except ImportFileError as exc:
                context["problems"] = exc.problems
        status = 422 if context.get("problems") else 200
        return render(request, "reports/import.html", context, status=status)
    return render(request, "reports/import.html", context)
