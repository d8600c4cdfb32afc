from django.contrib import admin

from interurps.accounts.admin_scoping import RegionScopedAdminMixin
from interurps.cpts.models import Cpts, StageTransition


class StageTransitionInline(RegionScopedAdminMixin, admin.TabularInline):
    """History is written through the lifecycle rules (CPTS page), not edited here."""

    model = StageTransition
    region_lookup = "cpts__region"
    extra = 0
    fields = ["stage", "occurred_on", "recorded_by", "corrected_from", "correction_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cpts)
class CptsAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region", "main_department", "stage", "population", "aci_signed_on"]
    list_filter = ["stage", "region", "main_department"]
    search_fields = ["name", "siret", "rna"]
    readonly_fields = ["stage", "aci_signed_on", "population"]
    exclude = ["communes", "geometry"]
    inlines = [StageTransitionInline]

    def has_add_permission(self, request, obj=None):
        # Creation goes through the CPTS pages, which record the first stage.
        return False
