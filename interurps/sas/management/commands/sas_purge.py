"""``manage.py sas_purge [--days N] [--wet-run]``: delete the SAS care requests older than
the retention period (setting ``SAS_CARE_REQUEST_RETENTION_DAYS``, 365 days by default).

Dry run by default: prints how many care requests would go and the span of their calls.
With ``--wet-run`` deletes them in one transaction; their appointments stay, with no care
request. Running it twice deletes nothing the second time.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min
from django.utils import timezone

from interurps.sas.regulation import services


class Command(BaseCommand):
    help = "Purge les demandes de soins SAS plus anciennes que la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation en jours (par défaut SAS_CARE_REQUEST_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Supprime vraiment (sans cette option : simulation, rien n'est supprimé).",
        )

    def handle(self, *args, days=None, wet_run=False, **options):
        days = settings.SAS_CARE_REQUEST_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(f"--days doit être un nombre de jours >= 1 (reçu : {days}).")
        now = timezone.now()
        old = services.care_requests_to_purge(retention_days=days, now=now)
        span = old.aggregate(first=Min("called_at"), last=Max("called_at"))
        count = old.count()
        cutoff = timezone.localtime(now - timedelta(days=days))
        if count == 0:
            self.stdout.write(f"Aucune demande de soins antérieure au {cutoff:%d/%m/%Y %H:%M}.")
            return
        first = timezone.localtime(span["first"])
        last = timezone.localtime(span["last"])
        what = (
            f"{count} demande(s) de soins appelée(s) du {first:%d/%m/%Y} au {last:%d/%m/%Y} "
            f"(avant le {cutoff:%d/%m/%Y %H:%M}, conservation {days} jours)"
        )
        if not wet_run:
            self.stdout.write(
                f"Simulation : {what} seraient supprimée(s). Relancez avec --wet-run."
            )
            return
        deleted = services.care_requests_purge(retention_days=days, now=now)
        self.stdout.write(f"count={deleted} {what} supprimée(s) ; leurs rendez-vous sont gardés.")
