from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interurps.geography.models import Region
from interurps.professionals.services import professionals_generate_synthetic


class Command(BaseCommand):
    help = (
        "Crée des professionnels de santé fictifs (source « synthetique ») dans les communes "
        "d'une région, pour la démonstration et les mesures de performance."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="Code INSEE de la région (ex. 52).")
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage (défaut : 1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Supprimer d'abord les professionnels fictifs de la région.",
        )

    def handle(self, *args, region, seed=1, replace=False, **options):
        try:
            region_obj = Region.objects.get(code=region)
        except Region.DoesNotExist as exc:
            raise CommandError(f"Région inconnue : {region}") from exc
        try:
            report = professionals_generate_synthetic(region=region_obj, seed=seed, replace=replace)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if report.skipped:
            self.stdout.write(
                f"La région {region_obj.name} a déjà des professionnels fictifs : rien à faire "
                "(--replace pour les régénérer)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.created} professionnel(s) fictif(s) créé(s) en {region_obj.name}, "
                    f"{report.sites} lieu(x) d'exercice, {report.deleted} supprimé(s)."
                )
            )
        self.stdout.write(report.summary())
