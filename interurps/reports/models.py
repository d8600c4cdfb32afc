from django.conf import settings
from django.db import models

from interurps.organizations.models import Federation


class ReportTexts(models.Model):
    """The written parts of a federation's annual activity report; figures are computed."""

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="report_texts", verbose_name="fédération"
    )
    year = models.PositiveSmallIntegerField("année")
    presidents_word = models.TextField("mot des président·es", blank=True)
    cpts_highlights = models.TextField("temps forts : accompagnement des CPTS", blank=True)
    sas_highlights = models.TextField("temps forts : SAS", blank=True)
    icope_highlights = models.TextField("temps forts : REPER / ICOPE", blank=True)
    perspectives = models.TextField("perspectives", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "textes du rapport d'activité"
        verbose_name_plural = "textes des rapports d'activité"
        constraints = [
            models.UniqueConstraint(fields=["federation", "year"], name="one_report_text_per_year")
        ]

    def __str__(self):
        return f"Rapport {self.year} — {self.federation}"
