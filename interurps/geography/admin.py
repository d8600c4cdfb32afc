from django.contrib import admin

from interurps.geography.models import Commune, Department, Epci, Region
from interurps.organizations.admin import ReadOnlyForNonSuperusersMixin


class GeographyAdmin(ReadOnlyForNonSuperusersMixin, admin.ModelAdmin):
    """INSEE geography is changed by `import_geography` only."""

    exclude = ["geometry"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(GeographyAdmin):
    list_display = ["name", "code", "population"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(GeographyAdmin):
    list_display = ["name", "code", "region", "population"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Epci)
class EpciAdmin(GeographyAdmin):
    list_display = ["name", "code", "kind"]
    search_fields = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(GeographyAdmin):
    list_display = ["name", "code", "kind", "department", "population"]
    list_filter = ["kind", "department__region"]
    search_fields = ["normalized_name", "code"]
    list_select_related = ["department"]
    raw_id_fields = ["parent", "epci"]
