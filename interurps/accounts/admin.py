"""Accounts and roles in the Django admin.

A federation admin manages the accounts of their own regions only (see
`perms.can_manage_account`): never a superuser, never an account that also holds a role
elsewhere, never their own privileges. A new account is created together with its first
role in the admin's region (the role form is required on the add page), so that no
federation admin ever creates a roleless account that would escape every region's scope;
roleless accounts are managed by superusers only.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import reverse

from interurps.accounts import perms, selectors
from interurps.accounts.admin_scoping import RegionScopedAdminMixin
from interurps.accounts.models import Role, RoleAssignment, User


class RoleAssignmentInline(RegionScopedAdminMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["union", "partner"]
    # The registry holds hundreds of thousands of professionals: an identifier field, no list.
    raw_id_fields = ["professional"]

    def _may_manage(self, request, obj):
        """`obj` is the account being edited, None on the add page."""
        if not perms.can_access_admin(request.user):
            return False
        return obj is None or perms.can_manage_account(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def get_min_num(self, request, obj=None, **kwargs):
        # A federation admin's accounts keep at least one role in their region; without
        # one, the account would leave every federation admin's scope.
        return 0 if request.user.is_superuser else 1

    def get_formset(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["validate_min"] = True
        return super().get_formset(request, obj, **kwargs)


@admin.register(User)
class UserAdmin(RegionScopedAdminMixin, DjangoUserAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Access to the administration follows the federation admin role.
            readonly.append("is_staff")
        return readonly

    def get_queryset(self, request):
        queryset = DjangoUserAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=selectors.admin_visible_users(request.user).values("pk"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete") and not request.user.is_superuser:
            # The role form's account picker offers only accounts the admin may manage.
            manageable = selectors.admin_manageable_users(request.user).values("pk")
            queryset = queryset.filter(pk__in=manageable)
        return queryset, may_have_duplicates

    def has_change_permission(self, request, obj=None):
        if not perms.can_access_admin(request.user):
            return False
        return obj is None or perms.can_manage_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        is_admin = user.role_assignments.filter(role=Role.FEDERATION_ADMIN).exists()
        # Superusers may give technical accounts access; for everyone else, access to the
        # administration is exactly the federation admin role.
        is_staff = is_admin or (request.user.is_superuser and user.is_staff)
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    raw_id_fields = ["professional"]
    list_display = ["user", "role", "region", "union", "partner", "created_at"]
    list_filter = ["role", "region"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "union", "partner"]

    def user_queryset(self, request):
        return selectors.admin_manageable_users(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.exclude(user__is_superuser=True)

    def has_change_permission(self, request, obj=None):
        if not perms.can_access_admin(request.user):
            return False
        return obj is None or perms.can_manage_account(request.user, obj.user)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user = obj.user
        if obj.role == Role.FEDERATION_ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
