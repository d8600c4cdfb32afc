"""``manage.py import_cpts FILE --region CODE``: bulk import of CPTS, dry run by default."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interurps.accounts.models import User
from interurps.core import imports
from interurps.cpts import importer
from interurps.geography.models import Region


class Command(BaseCommand):
    help = (
        "Importe des CPTS depuis un fichier CSV ou Excel (.xlsx) : colonnes "
        f"{', '.join(importer.COLUMNS)}. Par défaut, simple simulation : chaque ligne est "
        "vérifiée et rien n'est écrit. Avec --wet-run, l'import n'a lieu que si tout le "
        "fichier est valide (tout ou rien)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier .csv ou .xlsx à importer.")
        parser.add_argument(
            "--region", required=True, help="Code INSEE de la région (ex. 52 : Pays de la Loire)."
        )
        parser.add_argument(
            "--wet-run",
            action="store_true",
            dest="wet_run",
            help="Écrire en base (sinon : simulation sans écriture).",
        )
        parser.add_argument(
            "--as",
            dest="author",
            metavar="EMAIL",
            help="Adresse électronique de la personne enregistrée comme auteur des étapes.",
        )

    def handle(self, *args, file, region, wet_run=False, author=None, **options):
        try:
            region_obj = Region.objects.get(code=region)
        except Region.DoesNotExist:
            raise CommandError(f"Région inconnue : {region}.") from None
        by = None
        if author:
            by = User.objects.filter(email__iexact=author).first()
            if by is None:
                raise CommandError(f"Aucun compte avec l'adresse {author}.")
        try:
            # Refused before reading it into memory.
            reason = imports.size_refusal(file.stat().st_size)
            if reason:
                raise CommandError(f"Import annulé : {file} pèse {reason}")
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {file} : {exc.strerror}.") from exc
        try:
            rows = importer.read_rows(file.name, content)
        except importer.ImportFileError as exc:
            raise CommandError(f"Import annulé, la base n'a pas été modifiée. {exc}") from exc

        report = importer.validate(rows, region=region_obj)
        self.write_report(report)
        summary = f"{report.valid_count} ligne(s) valide(s), {report.error_count} en erreur"
        if not wet_run:
            if not report.is_valid:
                self.stdout.write(
                    "Le fichier contient des erreurs : --wet-run n'importera rien tant "
                    "qu'elles ne sont pas corrigées."
                )
            self.stdout.write(
                f"{summary} ; aucune écriture (simulation). Relancez avec --wet-run pour importer."
            )
            return
        if not report.is_valid:
            raise CommandError(
                f"Import refusé : {summary} ; aucune écriture. Corrigez le fichier et relancez."
            )
        try:
            created = importer.import_cpts(report, region=region_obj, by=by)
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(
                "Import annulé, la base n'a pas été modifiée. " + " ".join(messages)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{len(created)} CPTS importée(s) dans la région {region_obj.name}.")
        )

    def write_report(self, report):
        for message in report.file_errors:
            self.stdout.write(self.style.ERROR(f"Erreur : {message}"))
        for row in report.rows:
            if row.is_valid:
                population = f"{row.population:,}".replace(",", "\u202f")
                details = (
                    f"{row.stage_label}, {row.commune_count} commune(s), {population} habitants"
                )
                self.stdout.write(f"Ligne {row.line} — {row.name} : valide ({details})")
            else:
                self.stdout.write(
                    self.style.ERROR(f"Ligne {row.line} — {row.name or '(sans nom)'} : erreur")
                )
            for message in row.errors:
                self.stdout.write(f"  erreur : {message}")
            for message in row.warnings:
                self.stdout.write(f"  avertissement : {message}")
