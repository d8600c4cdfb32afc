from django.core.management.base import BaseCommand

from interurps.professionals.services import registry_counts_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les décomptes du registre (professionnels par commune, département, "
        "région et France) lus par les diagnostics. L'import et la génération le font déjà."
    )

    def handle(self, *args, **options):
        state = registry_counts_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Décomptes du registre recalculés (version {state.version}).")
        )
