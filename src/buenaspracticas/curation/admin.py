"""Admin of curation: accounts and calls are managed through the services' rules; history is read-only.
A password changed here revokes the account's API tokens, as everywhere else (curation.accounts)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from buenaspracticas.curation import services
from buenaspracticas.curation.models import (
    Account,
    ApiToken,
    Call,
    HistoryEntry,
    Message,
    Revision,
    Transition,
)
from buenaspracticas.errors import AppError


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
    list_display = ("user", "prefix", "label", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    actions = ["revoke"]

    @admin.action(description=_("Revocar los tokens seleccionados"))
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            try:
                services.token_revoke(
                    actor=request.user, key=token.prefix, username=token.user.get_username()
                )
            except AppError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
        self.message_user(request, _("Tokens revocados."), messages.SUCCESS)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin; a password set here also revokes that account's API tokens."""

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:  # the form was valid and saved
                user = self.get_object(request, unquote(id))
                services.token_revoke_all(actor=request.user, username=user.get_username())
        return response


def _password_change(request, extra_context=None):
    """The admin's own "change my password" link leads to the site's page, which revokes the tokens."""
    return redirect("curation:password_change")


admin.site.password_change = _password_change


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("title", "theme", "deadline")


for model in (HistoryEntry, Message, Revision, Transition):
    admin.site.register(model, ReadOnlyAdmin)
