from django.core.management.base import BaseCommand, CommandError

from interurps.geography.models import Region
from interurps.organizations.models import Federation, Partner, Union
from interurps.organizations.services import organizations_create_for_regions


class Command(BaseCommand):
    help = (
        "Crée pour chaque région sa fédération InterURPS, ses dix URPS et ses partenaires "
        "(ARS, Assurance Maladie). Idempotent."
    )

    def handle(self, *args, **options):
        if not Region.objects.exists():
            raise CommandError(
                "Aucune région en base : lancez d'abord « manage.py import_geography »."
            )
        report = organizations_create_for_regions()
        if report.total:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Créés : {report.federations} fédération(s), {report.unions} union(s), "
                    f"{report.partners} partenaire(s)."
                )
            )
        else:
            self.stdout.write("Organisations déjà en place : aucune modification.")
        self.stdout.write(
            f"federations={Federation.objects.count()} unions={Union.objects.count()} "
            f"partners={Partner.objects.count()}"
        )
