from django.contrib import admin

from interurps.accounts.admin_scoping import RegionScopedAdminMixin
from interurps.organizations.models import ElectoralCollege, Federation, Partner, Profession, Union


class ReadOnlyForNonSuperusersMixin:
    """National reference data: visible to federation admins, editable by superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ElectoralCollegeInline(ReadOnlyForNonSuperusersMixin, admin.TabularInline):
    model = ElectoralCollege
    extra = 0


@admin.register(Profession)
class ProfessionAdmin(ReadOnlyForNonSuperusersMixin, admin.ModelAdmin):
    list_display = ["label", "code", "union_label", "display_order"]
    inlines = [ElectoralCollegeInline]


@admin.register(Federation)
class FederationAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region", "email", "phone"]
    search_fields = ["name"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Union)
class UnionAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "profession", "region", "email"]
    list_filter = ["profession", "region"]
    search_fields = ["name"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Partner)
class PartnerAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region", "contact_name", "contact_email"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
