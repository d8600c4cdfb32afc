from django.contrib import admin

from interurps.professionals.models import PracticeSite, Professional


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
