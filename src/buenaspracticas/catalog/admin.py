"""Admin of the catalogue: read-only, so every change goes through the curation services and their
permission checks and history (the ficha form, the API, the CLI)."""

from django.contrib import admin

from buenaspracticas.catalog.models import Assessment, Institution, Practice, SourceDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "title", "state", "workflow_state", "version")
    list_filter = ("workflow_state", "state")
    search_fields = ("title", "public_id")


for model in (Assessment, Institution, SourceDocument):
    admin.site.register(model, ReadOnlyAdmin)
