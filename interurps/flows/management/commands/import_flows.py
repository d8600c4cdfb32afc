"""``manage.py import_flows FLOWS.csv --region CODE --name NAME --year YYYY [--source S]
[--profession CODE]``: import or replace a named flow set (idempotent, all or nothing),
with a progress bar."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interurps.core.commands import EXIT_INVALID
from interurps.flows import services
from interurps.flows.management.commands.territories_from_flows import read_chunks
from interurps.geography.models import Region
from interurps.organizations.models import Profession


class Command(BaseCommand):
    help = "Importe (ou remplace) un jeu de flux de patientèle nommé d'une région."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--region", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--source", default="Fichier importé")
        parser.add_argument("--profession", default=None)

    def handle(self, *args, **options):
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"Région inconnue : {options['region']}", returncode=EXIT_INVALID)
        profession = None
        if options["profession"]:
            profession = Profession.objects.filter(code=options["profession"]).first()
            if profession is None:
                raise CommandError(
                    f"Profession inconnue : {options['profession']}", returncode=EXIT_INVALID
                )
        bar = tqdm(desc="flux enregistrés", unit=" couples", disable=options["verbosity"] == 0)
        try:
            flow_set = services.flow_set_import(
                region=region,
                name=options["name"],
                source=options["source"],
                year=options["year"],
                profession=profession,
                chunks=read_chunks(options["file"]),
                progress=bar.update,
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages), returncode=EXIT_INVALID) from None
        finally:
            bar.close()
        self.stdout.write(
            f"flow_set={flow_set.pk} pairs={flow_set.pair_count} total={flow_set.total}"
        )
