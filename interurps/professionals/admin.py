from django.contrib import admin

from interurps.professionals import services
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

    # The registry's counts follow each edit: the communes and professions a professional
    # had before the edit and has after it are recounted once the sites are saved.

    @staticmethod
    def _footprint(professionals) -> tuple[set, set]:
        sites = PracticeSite.objects.filter(professional__in=professionals)
        communes = set(sites.values_list("commune_id", flat=True))
        professions = set(
            Professional.objects.filter(pk__in=[p.pk for p in professionals]).values_list(
                "profession_id", flat=True
            )
        )
        return communes, professions

    def save_model(self, request, obj, form, change):
        request._registry_before = self._footprint([obj]) if change else (set(), set())
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        communes, professions = getattr(request, "_registry_before", (set(), set()))
        after_communes, after_professions = self._footprint([form.instance])
        services.registry_counts_refresh(
            communes=communes | after_communes, professions=professions | after_professions
        )

    def delete_model(self, request, obj):
        communes, professions = self._footprint([obj])
        super().delete_model(request, obj)
        services.registry_counts_refresh(communes=communes, professions=professions)

    def delete_queryset(self, request, queryset):
        communes, professions = self._footprint(list(queryset))
        super().delete_queryset(request, queryset)
        services.registry_counts_refresh(communes=communes, professions=professions)


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
