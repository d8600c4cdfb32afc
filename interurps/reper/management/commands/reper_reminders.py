"""E-mail each health professional a digest of their due re-screenings and overdue step-2
assessments (pseudonyms only). A dry run unless --wet-run."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from interurps.reper.reminders import digests, send_digests


class Command(BaseCommand):
    help = (
        "Envoie à chaque professionnel·le le récapitulatif de ses repérages à refaire et "
        "évaluations en retard (identifiants pseudonymes seulement). Simulation sans --wet-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="envoyer vraiment")
        parser.add_argument("--date", help="date de référence AAAA-MM-JJ (défaut : aujourd'hui)")

    def handle(self, *args, wet_run=False, date=None, **options):
        today = timezone.localdate()
        if date:
            try:
                today = parse_date(date) if len(date) == 10 else None
            except ValueError:
                today = None
            if today is None:
                raise CommandError(f"Date invalide : « {date} » (attendu AAAA-MM-JJ).")
        found = digests(today)
        for digest in found:
            self.stdout.write(
                f"{digest.email} : {len(digest.reminders.due_screenings)} repérage(s) à refaire, "
                f"{len(digest.reminders.overdue_assessments)} évaluation(s) en retard"
            )
        if wet_run:
            sent = send_digests(found)
            self.stdout.write(f"Courriels envoyés : {sent}.")
        else:
            self.stdout.write(
                f"Simulation : {len(found)} courriel(s) à envoyer ; relancez avec --wet-run."
            )
