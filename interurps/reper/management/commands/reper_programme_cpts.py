"""List the CPTS that run REPER, or add / remove one (by its number)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interurps.cpts.models import Cpts
from interurps.reper import services
from interurps.reper.models import ProgrammeCpts


class Command(BaseCommand):
    help = "Liste les CPTS du programme REPER ; --add ID ou --remove ID pour en changer."

    def add_arguments(self, parser):
        parser.add_argument("--add", type=int, metavar="ID", help="ajouter la CPTS n° ID")
        parser.add_argument("--remove", type=int, metavar="ID", help="retirer la CPTS n° ID")

    def handle(self, *args, add=None, remove=None, **options):
        for pk, action in ((add, "add"), (remove, "remove")):
            if pk is None:
                continue
            cpts = Cpts.objects.filter(pk=pk).first()
            if cpts is None:
                raise CommandError(f"Aucune CPTS n° {pk}.")
            try:
                if action == "add":
                    services.programme_cpts_add(cpts=cpts, since=timezone.localdate())
                else:
                    services.programme_cpts_remove(cpts=cpts)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        for entry in ProgrammeCpts.objects.select_related("cpts", "cpts__region"):
            self.stdout.write(
                f"{entry.cpts.pk}\t{entry.cpts.name}\t{entry.cpts.region.name}\t"
                f"depuis le {entry.since:%d/%m/%Y}"
            )
