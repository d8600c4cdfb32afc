"""``manage.py allocate_seats FILE.csv --seats N``: seats at the highest average (D'Hondt).

Reads ``list,votes`` lines (optional header ``list,votes`` or ``liste,voix``; ``;`` is also
accepted as delimiter; UTF-8 with or without BOM) and prints the seats per list, the ties
and the calculation table, or JSON with ``--format json``. Any invalid input ends with a
French message on stderr and exit status 2.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path

from interurps.analytics.seats import TIE_BREAKERS, Allocation, allocate_seats, ordinal_fr
from interurps.core.commands import FrenchArgumentsCommand, invalid

HEADERS = (("list", "votes"), ("liste", "voix"))
_INTEGER = re.compile(r"[+-]?[0-9]+")
# Bounds that keep the computation and its table small: no URPS assembly has more than a
# hundred seats, and votes are counts of voters (below 2**63 to stay within 64 bits).
MAX_SEATS = 1000
MAX_VOTES = 2**63 - 1
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_LISTS = 10_000
USAGE = (
    "Usage : manage.py allocate_seats FICHIER.csv --seats N [--format text|json] "
    "[--seed N] [--tie-breakers votes,age,lot]"
)


_error = invalid


def read_votes(path: str) -> dict[str, int]:
    """Parse the CSV file into ``{list: votes}``, in file order; French errors."""
    file = Path(path)
    try:
        if file.is_file() and file.stat().st_size > MAX_FILE_BYTES:
            raise _error(f"{path} pèse plus de {MAX_FILE_BYTES // 1024 // 1024} Mo.")
        raw = file.read_bytes()
    except ValueError:  # a NUL byte in the path
        raise _error(f"Nom de fichier invalide : {path!r}.") from None
    except FileNotFoundError:
        raise _error(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise _error(f"{path} est un dossier, pas un fichier CSV.") from None
    except OSError as exc:
        raise _error(f"Impossible de lire {path} : {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(
            f"{path} n'est pas encodé en UTF-8 (octet invalide en position {exc.start})."
        ) from None

    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise _error(f"Le fichier {path} est vide.")
    delimiter = ";" if ";" in first else ","

    votes: dict[str, int] = {}
    seen_at: dict[str, tuple[str, int]] = {}
    header_checked = False
    if "\x00" in text:
        raise _error(f"{path} contient des caractères nuls : ce n'est pas un fichier CSV.")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise _error(
                f"Ligne {reader.line_num} : guillemets ou séparateurs mal placés."
            ) from None
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if not header_checked:
            header_checked = True
            if tuple(cell.casefold() for cell in cells) in HEADERS:
                continue
        if len(cells) != 2:
            raise _error(
                f"Ligne {number} : {len(cells)} champ(s) trouvé(s), 2 attendus "
                f"(liste{delimiter}voix)."
            )
        name, count = cells
        if not name:
            raise _error(f"Ligne {number} : nom de liste vide.")
        if not _INTEGER.fullmatch(count):
            raise _error(
                f"Ligne {number} : nombre de voix « {count} » invalide pour la liste "
                f"« {name} » (entier positif ou nul attendu)."
            )
        if len(count.lstrip("+-")) > 19 or int(count) > MAX_VOTES:
            raise _error(
                f"Ligne {number} : nombre de voix trop grand pour la liste « {name} » "
                f"({len(count)} chiffres)."
            )
        value = int(count)
        if value < 0:
            raise _error(f"Ligne {number} : nombre de voix négatif ({value}) pour « {name} ».")
        key = name.casefold()
        if key in seen_at:
            previous, previous_line = seen_at[key]
            raise _error(
                f"Ligne {number} : la liste « {name} » figure déjà ligne {previous_line} "
                f"(« {previous} ») ; les noms de listes doivent être uniques."
            )
        seen_at[key] = (name, number)
        votes[name] = value
        if len(votes) > MAX_LISTS:
            raise _error(f"Le fichier {path} compte plus de {MAX_LISTS} listes.")

    if not votes:
        raise _error(f"Le fichier {path} ne contient aucune liste.")
    return votes


def _integer_option(value, option: str, what: str) -> int:
    if value is None:
        raise _error(f"L'option {option} est obligatoire. {USAGE}")
    text = str(value).strip()
    if not _INTEGER.fullmatch(text):
        raise _error(f"{what} doit être un nombre entier (reçu : « {text[:40]} »).")
    if len(text) > 20:
        raise _error(f"{what} est trop grand ({len(text)} chiffres).")
    return int(text)


def parse_tie_breakers(value: str) -> tuple[str, ...]:
    breakers = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [breaker for breaker in breakers if breaker not in TIE_BREAKERS]
    if unknown:
        raise _error(
            f"Règle de départage inconnue : {', '.join(unknown)} "
            f"(règles possibles : {','.join(TIE_BREAKERS)})."
        )
    if len(set(breakers)) != len(breakers):
        raise _error(f"Règle de départage répétée dans « {value} ».")
    return breakers


def _number(value: int | Fraction, decimals: int = 2) -> str:
    """French formatting: narrow grouping with spaces, decimal comma."""
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return f"{int(value):,}".replace(",", " ")
    return f"{float(value):,.{decimals}f}".replace(",", " ").replace(".", ",")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def render_text(votes: dict[str, int], seats: int, allocation: Allocation) -> str:
    total = sum(votes.values())
    width = max(len("Liste"), *(len(name) for name in votes))
    lines = [
        f"Répartition de {_plural(seats, 'siège')} à la plus forte moyenne "
        f"({_number(total)} suffrages exprimés) :",
    ]
    for name, won in allocation.seats.items():
        lines.append(
            f"  {name.ljust(width)} : {_plural(won, 'siège')} ({_number(votes[name])} voix)"
        )

    lines.append("")
    if allocation.ties:
        lines.append("Égalités :")
        lines.extend(f"  - {tie.explanation}" for tie in allocation.ties)
    else:
        lines.append("Aucune égalité de moyenne.")

    lines.append("")
    lines.append(
        "Tableau de calcul (moyenne = voix / diviseur ; "
        "[n] = moyenne ayant obtenu le n-ième siège) :"
    )
    seat_numbers: dict[str, list[int]] = {name: [] for name in votes}
    for number, name, _average in allocation.order:
        seat_numbers[name].append(number)
    cells: dict[str, list[str]] = {}
    for name in votes:
        row = []
        for divisor, average in enumerate(allocation.averages[name], start=1):
            won_numbers = seat_numbers[name]
            mark = f" [{won_numbers[divisor - 1]}]" if divisor <= len(won_numbers) else ""
            row.append(_number(average) + mark)
        cells[name] = row
    col_width = max(len(cell) for row in cells.values() for cell in row)
    col_width = max(col_width, len(f"÷{seats}"))
    header_line = (
        "  "
        + "Liste".ljust(width)
        + " | "
        + " | ".join(f"÷{d}".rjust(col_width) for d in range(1, seats + 1))
    )
    lines.append(header_line)
    lines.append("  " + "-" * (len(header_line) - 2))
    for name in votes:
        lines.append(
            "  "
            + name.ljust(width)
            + " | "
            + " | ".join(cell.rjust(col_width) for cell in cells[name])
        )
    lines.append("")
    lines.append(
        "Ordre d'attribution : "
        + " ; ".join(
            f"{ordinal_fr(number)} siège → {name} ({_number(average)})"
            for number, name, average in allocation.order
        )
    )
    return "\n".join(lines)


class Command(FrenchArgumentsCommand):
    usage = USAGE
    help = (
        "Répartit les sièges entre les listes à la plus forte moyenne (D'Hondt) à partir "
        "d'un fichier CSV « liste,voix »."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV : une ligne « liste,voix » par liste.")
        # Read as text and checked in handle(), for French messages.
        parser.add_argument("--seats", default=None, help="Nombre de sièges.")
        parser.add_argument("--format", default="text", help="text (défaut) ou json.")
        parser.add_argument("--seed", default=None, help="Graine du tirage au sort (entier).")
        parser.add_argument(
            "--tie-breakers",
            default=",".join(TIE_BREAKERS),
            help="Ordre des règles de départage (défaut : votes,age,lot).",
        )

    def handle(self, *args, **options):
        seats = _integer_option(options["seats"], "--seats", "Le nombre de sièges")
        if seats < 1:
            raise _error(f"Le nombre de sièges doit être au moins 1 (reçu : {seats}).")
        if seats > MAX_SEATS:
            raise _error(f"Le nombre de sièges doit être au plus {MAX_SEATS} (reçu : {seats}).")
        seed = None
        if options["seed"] is not None:
            seed = _integer_option(options["seed"], "--seed", "La graine du tirage")
        if options["format"] not in ("text", "json"):
            raise _error(f"Format « {options['format']} » inconnu : text ou json.")
        tie_breakers = parse_tie_breakers(options["tie_breakers"])
        votes = read_votes(options["file"])
        try:
            allocation = allocate_seats(votes, seats, tie_breakers=tie_breakers, seed=seed)
        except ValueError as exc:
            raise _error(str(exc)) from None

        if options["format"] == "json":
            payload = {
                "seats": allocation.seats,
                "ties": [{**asdict(tie), "lists": list(tie.lists)} for tie in allocation.ties],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(votes, seats, allocation))
