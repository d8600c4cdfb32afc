from django.contrib import admin

from interurps.professionals.models import PracticeSite, Professional, RegistryImport


class PracticeSiteInline(admin.TabularInline):
    model = PracticeSite
    extra = 0
    raw_id_fields = ["commune"]


@admin.register(Professional)
class ProfessionalAdmin(admin.ModelAdmin):
    list_display = [
        "identifier",
        "last_name",
        "first_name",
        "profession",
        "practice_mode",
        "active",
        "source",
    ]
    list_filter = ["profession", "practice_mode", "active", "source"]
    search_fields = ["identifier", "search_name"]
    readonly_fields = ["updated_at"]
    inlines = [PracticeSiteInline]

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    """Written by the import and the synthetic generator; read here."""

    list_display = ["imported_at", "source", "region", "data_date", "file_name", "professionals"]
    list_filter = ["source"]
    readonly_fields = list_display

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
