from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interurps.sas.fhir.auth import api_client_create, api_client_revoke, api_client_rotate
from interurps.sas.models import ApiClient


class Command(BaseCommand):
    help = (
        "Crée un client de l'interface FHIR du SAS et affiche son jeton secret, une seule fois "
        "(seule son empreinte SHA-256 est enregistrée). --rotate NOM donne un nouveau jeton à "
        "un client existant, --revoke NOM le désactive."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="nom du client à créer")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--revoke", metavar="NOM", help="désactive le client NOM")
        group.add_argument("--rotate", metavar="NOM", help="nouveau jeton pour le client NOM")

    def _client(self, name):
        try:
            return ApiClient.objects.get(name=name)
        except ApiClient.DoesNotExist:
            raise CommandError(f"Aucun client FHIR ne s'appelle « {name} ».") from None

    def handle(self, *args, name=None, revoke=None, rotate=None, **options):
        if sum(bool(v) for v in (name, revoke, rotate)) != 1:
            raise CommandError("Donnez soit un NOM à créer, soit --revoke NOM, soit --rotate NOM.")
        if revoke:
            client = api_client_revoke(client=self._client(revoke))
            self.stdout.write(f"Client « {client.name} » désactivé : son jeton est refusé.")
            return
        if rotate:
            client = self._client(rotate)
            token = api_client_rotate(client=client)
            self.stdout.write(f"Nouveau jeton du client « {client.name} » (l'ancien est refusé) :")
            self.stdout.write(token)
            return
        if ApiClient.objects.filter(name=name.strip()).exists():
            raise CommandError(
                f"Le client « {name} » existe déjà (--rotate {name} pour un nouveau jeton)."
            )
        try:
            client, token = api_client_create(name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Client « {client.name} » créé. Son jeton, à conserver : il ne sera plus affiché."
        )
        self.stdout.write(token)
