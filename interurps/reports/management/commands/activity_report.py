from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interurps.organizations.models import Federation
from interurps.reports import services


class Command(BaseCommand):
    help = "Génère le rapport d'activité annuel d'une fédération (PDF ou HTML)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="Code INSEE de la région (ex. 52).")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, type=Path, help="Fichier à écrire.")
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")

    def handle(self, *args, region, year, output, format="pdf", **options):
        federation = Federation.objects.filter(region_id=region).select_related("region").first()
        if federation is None:
            raise CommandError(f"Aucune fédération pour la région « {region} ».")
        if not output.parent.exists():
            raise CommandError(f"Le dossier {output.parent} n'existe pas.")
        if format == "html":
            output.write_text(services.report_html(federation, year), encoding="utf-8")
        else:
            output.write_bytes(services.report_pdf(federation, year))
        self.stdout.write(
            self.style.SUCCESS(f"Rapport {year} de {federation.name} écrit : {output}")
        )
