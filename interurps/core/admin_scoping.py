"""Django admin restricted to the regions a federation admin manages."""

from interurps.accounts import perms


class RegionScopedAdminMixin:
    """Federation admins see and edit only their regions' records; superusers see all.

    `region_lookup` is the ORM path from the model to its region's code.
    """

    region_lookup = "region"

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        codes = self._codes(request)
        if codes is not None:
            model = db_field.related_model
            if model._meta.label == "geography.Region":
                kwargs["queryset"] = model.objects.filter(code__in=codes)
            elif any(f.name == "region" for f in model._meta.fields):
                kwargs["queryset"] = model.objects.filter(region__in=codes)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
