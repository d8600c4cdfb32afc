"""Django admin restricted to the regions a federation admin manages."""

from django.contrib.auth import get_user_model
from django.db import models

from interurps.accounts import perms, selectors


class RegionScopedAdminMixin:
    """Federation admins see and edit only their regions' records; superusers see all.

    `region_lookup` is the ORM path from the model to its region's code. The permission
    methods keep Django's signatures for both model admins and inlines: inlines pass the
    parent object (`has_add_permission(request, obj)`), model admins do not.
    """

    region_lookup = "region"
    # Addresses typed without a scheme are taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _codes(self, request):
        return perms.admin_region_codes(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        codes = self._codes(request)
        if codes is None:
            return queryset
        return queryset.filter(**{f"{self.region_lookup}__in": codes}).distinct()

    def has_module_permission(self, request):
        return perms.can_access_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return perms.can_access_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return perms.can_access_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return perms.can_access_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return perms.can_access_admin(request.user)

    def user_queryset(self, request):
        """Accounts a form of this admin may point to."""
        return selectors.admin_visible_users(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        codes = self._codes(request)
        if codes is not None:
            model = db_field.related_model
            if model._meta.label == "geography.Region":
                kwargs["queryset"] = model.objects.filter(code__in=codes)
            elif model is get_user_model():
                kwargs["queryset"] = self.user_queryset(request)
            elif any(f.name == "region" for f in model._meta.fields):
                kwargs["queryset"] = model.objects.filter(region__in=codes)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
