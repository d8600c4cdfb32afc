"""``manage.py icope_screen FILE.json [--format json]``: positive ICOPE step-1 domains of one
screening's answers, decided by ``interurps.analytics.icope``. Nothing is recorded.

Exit code 0 with the result on stdout; exit code 2 with a French message on stderr for a
missing or unreadable file, invalid JSON (line and column given) or answers that
``icope.validate_answers`` refuses (the message names the item).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from interurps.analytics import icope

USAGE_ERROR = 2


def fail(message):
    return CommandError(message, returncode=USAGE_ERROR)


def read_source(path, stdin):
    if path == "-":
        return stdin.read(), "l'entrée standard"
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(), f"le fichier {path}"
    except FileNotFoundError:
        raise fail(f"Fichier introuvable : {path}.") from None
    except IsADirectoryError:
        raise fail(f"{path} est un dossier ; attendu un fichier JSON.") from None
    except UnicodeDecodeError:
        raise fail(
            f"Le fichier {path} n'est pas encodé en UTF-8 ; attendu un fichier JSON."
        ) from None
    except OSError as exc:
        raise fail(f"Lecture impossible du fichier {path} : {exc.strerror}.") from None


def render_text(positive):
    if not positive:
        return "Aucun domaine positif"
    labels = [icope.DOMAIN_LABELS[domain].lower() for domain in positive]
    title = "Domaine positif" if len(positive) == 1 else "Domaines positifs"
    return f"{title} ({len(positive)}) : {', '.join(labels)}"


class Command(BaseCommand):
    help = (
        "Lit les réponses d'un repérage ICOPE (étape 1) au format JSON et affiche les domaines "
        'positifs ({"positive": [...]} avec --format json). N\'enregistre rien. Code de sortie '
        "2 et message sur la sortie d'erreur si le fichier ou une réponse est invalide."
    )

    # A pure computation: no database, so no system checks either (quick for other tools).
    requires_system_checks = []
    # call_command(..., stdin=StringIO(...)) feeds « - » in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier JSON des réponses (« - » : entrée standard).")
        parser.add_argument(
            "--format",
            dest="output_format",
            default="text",
            help='text (défaut) : une ligne en français ; json : {"positive": [...]}.',
        )

    def handle(self, *args, **options):
        if options["output_format"] not in ("text", "json"):
            raise fail(
                f"Format de sortie inconnu : {options['output_format']} ; formats possibles : "
                "text, json."
            )
        text, where = read_source(options["file"], options.get("stdin") or sys.stdin)
        try:
            answers = json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail(
                f"JSON invalide dans {where}, ligne {exc.lineno}, colonne {exc.colno} : {exc.msg}."
            ) from None
        try:
            positive = icope.positive_domains(answers)
        except icope.ScreeningError as exc:
            raise fail(exc.message) from None
        if options["output_format"] == "json":
            self.stdout.write(json.dumps({"positive": positive}))
        else:
            self.stdout.write(render_text(positive))
