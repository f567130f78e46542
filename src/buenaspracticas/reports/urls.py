"""Pages of this feature, included by buenaspracticas.urls under the language prefix."""

from django.urls import path, re_path

from buenaspracticas.reports import views

app_name = "reports"
urlpatterns = [
    path("informes/practicas/<slug:practice_id>.pdf", views.practice_pdf, name="practice_pdf"),
    path("informes/estados/<slug:slug>.pdf", views.state_pdf, name="state_pdf"),
    path("informes/compendio.pdf", views.compendium_pdf, name="compendium_pdf"),
    re_path(r"^exportar/practicas\.(?P<fmt>csv|xlsx|json)$", views.export, name="export"),
    path("exportar/practicas-personas.xlsx", views.export, {"fmt": "xlsx-personas"}, name="export_people"),
    path("exportar/datapackage.zip", views.export, {"fmt": "datapackage"}, name="export_datapackage"),
    re_path(
        r"^importar/(?P<name>plantilla\.xlsx|plantilla-practicas\.csv|plantilla-indicadores\.csv|"
        r"diccionario\.csv)$",
        views.template_download,
        name="template",
    ),
    path("importar/", views.import_page, name="import"),
]
