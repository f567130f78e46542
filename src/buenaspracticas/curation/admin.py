"""Admin of curation: accounts and calls are managed through the services' rules; history is read-only."""

from django.contrib import admin

from buenaspracticas.curation.models import (
    Account,
    ApiToken,
    Call,
    HistoryEntry,
    Message,
    Revision,
    Transition,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the services write; nothing is deleted outright."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "state")
    list_filter = ("role", "state")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "prefix", "created_at", "last_used_at", "revoked_at")


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("title", "theme", "deadline")


for model in (HistoryEntry, Message, Revision, Transition):
    admin.site.register(model, ReadOnlyAdmin)
