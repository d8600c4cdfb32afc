from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interurps.demo.loader import DEMO_PASSWORD, DemoError, demo_load


class Command(BaseCommand):
    help = (
        "Charge la région de démonstration (Pays de la Loire par défaut) : fédération, "
        "unions et un compte par rôle. Idempotent. Refusé hors du mode démo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Code INSEE de la région (défaut : DEMO_REGION_CODE).")

    def handle(self, *args, region=None, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Le mode démo est désactivé (DEMO_MODE=false) : aucun compte de démonstration "
                "n'est créé sur une installation de production."
            )
        try:
            federation, accounts = demo_load(region_code=region)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Démo prête : {federation.name}."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in accounts:
            self.stdout.write(f"  {account.email:<40} {account.role.label}")
