from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q

from interurps.accounts.models import Role, RoleAssignment, User
from interurps.core.admin_scoping import RegionScopedAdminMixin


class RoleAssignmentInline(RegionScopedAdminMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["union", "partner"]


@admin.register(User)
class UserAdmin(RegionScopedAdminMixin, DjangoUserAdmin):
    region_lookup = "role_assignments__region"
    ordering = ["last_name", "first_name", "email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["is_active", "is_staff", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Statut", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [
        ("Droits techniques", {"fields": ["is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return [*fieldsets, *self.superuser_fieldsets]
        return fieldsets

    def get_queryset(self, request):
        queryset = DjangoUserAdmin.get_queryset(self, request)
        codes = self._codes(request)
        if codes is None:
            return queryset
        # An account without any role yet stays visible, so that the federation admin who
        # just created it can give it its first role.
        return queryset.filter(
            Q(role_assignments__region__in=codes) | Q(role_assignments__isnull=True)
        ).distinct()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        is_admin = user.role_assignments.filter(role=Role.FEDERATION_ADMIN).exists()
        if is_admin and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "region", "union", "partner", "created_at"]
    list_filter = ["role", "region"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "union", "partner"]
