"""Remove an account's second factor (lost phone and backup codes): at its next sign-in it
enrols a new application. For the technical operators of a deployment, after checking who
asks (the devices are not in the Django admin)."""

from django.core.management.base import BaseCommand, CommandError

from interurps.accounts.models import User
from interurps.accounts.second_factor import second_factor_reset


class Command(BaseCommand):
    help = "Supprime le second facteur d'un compte (application et codes de secours)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique du compte")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte avec l'adresse {email}.")
        removed = second_factor_reset(user=user)
        self.stdout.write(
            f"{user.email} : {removed} dispositif(s) supprimé(s) ; une nouvelle application "
            "sera enregistrée à la prochaine connexion."
        )
