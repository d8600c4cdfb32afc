import argparse
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from interurps.professionals.annuaire import AnnuaireDataError, AnnuaireReader
from interurps.professionals.services import DEFAULT_MAX_RETIRE_SHARE, sync_professionals

SHOWN_ERRORS = 20


def _share(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"« {text} » : une part entre 0 et 1 est attendue.")
    return value


class Command(BaseCommand):
    help = (
        "Importe ou met à jour le registre des professionnels de santé depuis le fichier "
        "PS_LibreAcces_Personne_activite de l'Annuaire Santé (ANS). Les professionnels "
        "absents du fichier sont retirés (inactifs). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier PS_LibreAcces_Personne_activite.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tout calculer puis annuler : la base n'est pas modifiée.",
        )
        parser.add_argument(
            "--max-retire-share",
            type=_share,
            default=DEFAULT_MAX_RETIRE_SHARE,
            help="Part maximale des professionnels actifs que l'import peut retirer "
            f"(de 0 à 1, {DEFAULT_MAX_RETIRE_SHARE} par défaut) ; au-delà, rien n'est modifié.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Retirer même si le fichier n'a aucune ligne valide ou dépasse la part maximale.",
        )

    def handle(
        self,
        *args,
        file,
        dry_run=False,
        verbosity=1,
        max_retire_share=DEFAULT_MAX_RETIRE_SHARE,
        force=False,
        **options,
    ):
        started = time.monotonic()

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=verbosity < 1, file=sys.stderr, **kwargs)

        try:
            reader = AnnuaireReader(file, progress=progress)
            report = sync_professionals(
                reader,
                progress=progress,
                dry_run=dry_run,
                max_retire_share=max_retire_share,
                force=force,
            )
        except (AnnuaireDataError, ValidationError) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(f"Import annulé, la base n'a pas été modifiée. {message}") from exc
        stats = report.read
        for error in stats.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"{file.name}, {error}")
        if stats.error_count > SHOWN_ERRORS:
            self.stderr.write(f"… et {stats.error_count - SHOWN_ERRORS} autre(s) erreur(s).")
        if report.unknown_commune_codes:
            codes = ", ".join(sorted(report.unknown_commune_codes)[:20])
            self.stderr.write(f"Codes commune inconnus : {codes}")
        if stats.skipped_professions:
            skipped = ", ".join(
                f"{label} ({count})" for label, count in stats.skipped_professions.most_common(10)
            )
            self.stdout.write(f"Autres professions ignorées : {skipped}")
        prefix = "Simulation (aucune écriture) : " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} créé(s), {report.updated} modifié(s), "
            f"{report.retired} retiré(s), {report.unchanged} inchangé(s), "
            f"{stats.skipped} ligne(s) d'autres professions ignorée(s), "
            f"{stats.error_count} ligne(s) en erreur, "
            f"{report.unknown_commune_sites} lieu(x) à code commune inconnu."
        )
        self.stdout.write(f"{report.summary()} seconds={time.monotonic() - started:.1f}")
