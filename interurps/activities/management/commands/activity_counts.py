import json

from django.core.management.base import BaseCommand, CommandError

from interurps.activities import selectors
from interurps.activities.models import Project
from interurps.organizations.models import Federation


class Command(BaseCommand):
    help = (
        "Décompte des réunions d'une fédération sur une année : par type, par projet, par "
        "mois, par CPTS et par chargé·e de mission."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="Code INSEE de la région (ex. 52).")
        parser.add_argument("--year", required=True, type=int, help="Année (ex. 2021).")
        parser.add_argument("--project", choices=Project.values, help="Limiter à un projet.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, region, year, project=None, format="text", **options):
        federation = Federation.objects.filter(region_id=region).select_related("region").first()
        if federation is None:
            raise CommandError(f"Aucune fédération pour la région « {region} ».")
        if not 1900 <= year <= 2999:
            raise CommandError(f"Année invalide : {year}.")
        start, end = selectors.year_bounds(year)
        tables = {
            grouping: selectors.activity_counts(
                federation, start, end, grouping=grouping, project=project
            )
            for grouping in selectors.GROUPINGS
        }
        total = tables["type"].total_meetings
        if format == "json":
            payload = {
                "region": region,
                "year": year,
                "project": project,
                "total": total,
                "by": {grouping: dict(table.rows) for grouping, table in tables.items()},
                "by_project_and_kind": selectors.counts_by_kind_and_project(federation, year),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{federation.name} — réunions en {year} : {total}")
        for table in tables.values():
            self.stdout.write(f"\nPar {table.label.lower()} :")
            for label, count in table.rows:
                self.stdout.write(f"  {label:<45} {count:>5}")
