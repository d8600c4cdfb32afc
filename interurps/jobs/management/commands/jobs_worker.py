from django.core.management import call_command
from django.core.management.base import BaseCommand

from interurps.jobs.services import jobs_requeue_stale


class Command(BaseCommand):
    help = (
        "Lance un worker des travaux en arrière-plan (le db_worker de django-tasks-db), après "
        "avoir remis en attente les travaux laissés « en cours » par un worker arrêté."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Secondes entre deux recherches."
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="S'arrêter quand la file est vide (tâches planifiées, tests).",
        )
        parser.add_argument("--worker-id", default=None, help="Nom du worker dans les journaux.")

    def handle(self, *args, interval=1.0, batch=False, worker_id=None, verbosity=1, **options):
        for job in jobs_requeue_stale():
            self.stdout.write(f"Travail n° {job.pk} remis en attente (worker arrêté).")
        kwargs = {"interval": interval, "batch": batch, "verbosity": verbosity}
        if worker_id:
            kwargs["worker_id"] = worker_id
        call_command("db_worker", **kwargs)
