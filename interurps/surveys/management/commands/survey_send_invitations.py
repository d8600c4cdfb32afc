"""Send survey e-mails: the sendings asked from the pages and still waiting, or the
invitations (or reminders) of one survey, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interurps.surveys import sending
from interurps.surveys.models import SendRequest, Survey


class Command(BaseCommand):
    help = (
        "Envoie les courriels des enquêtes : les envois demandés depuis les pages et en "
        "attente, ou ceux d'une enquête (--survey ID, --reminders pour les relances)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, help="identifiant de l'enquête")
        parser.add_argument(
            "--reminders", action="store_true", help="relancer les personnes sans réponse"
        )

    def handle(self, *args, survey=None, reminders=False, **options):
        quiet = options["verbosity"] == 0
        if survey is None:
            pending = sending.pending_requests()
            for pk in pending:
                request = SendRequest.objects.select_related("survey").get(pk=pk)
                self.stdout.write(f"{request.get_kind_display()} — {request.survey}")
                counts = sending.run_send_request(pk)
                if counts is not None:
                    self._report(counts)
            if not pending:
                self.stdout.write("Aucun envoi en attente.")
            return
        target = Survey.objects.filter(pk=survey).select_related("federation").first()
        if target is None:
            raise CommandError(f"Aucune enquête n'a l'identifiant {survey}.")
        if target.status != Survey.Status.PUBLISHED:
            raise CommandError(f"L'enquête « {target} » n'est pas publiée : rien n'est envoyé.")
        bar = tqdm(total=0, unit="courriel", disable=quiet, file=self.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        counts = sending.send_invitations(target, reminders=reminders, progress=progress)
        bar.close()
        self._report(counts)

    def _report(self, counts) -> None:
        self.stdout.write(
            f"sent={counts.sent} already_sent={counts.already_sent} no_email={counts.no_email} "
            f"unsubscribed={counts.unsubscribed} answered={counts.answered} failed={counts.failed}"
        )
